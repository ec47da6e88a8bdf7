package de.jobcenter.orchestrator.engine;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.identity.Group;
import org.operaton.bpm.engine.identity.Tenant;
import org.operaton.bpm.engine.rest.security.auth.AuthenticationResult;
import org.operaton.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;

/**
 * HTTP Basic for the REST API, remembering a successful login for a short while (ENGINE_REST_AUTH_CACHE_SECONDS,
 * default 30; 0 checks every request). Without it every request checks the password and reads the user's groups
 * and tenants: three queries and a password hash for each of the 20 requests of an intake, about a tenth of the
 * engine's CPU under load (docs/performance.md). The workers and the API send the same credentials thousands of
 * times a minute.
 *
 * <p>What is remembered is the SHA-256 of the Authorization header with the user, groups and tenants it
 * resolved to, never the password. A failed login is never remembered, so the engine's login throttling and lock-out
 * count every wrong password, and it forgets the user's remembered logins, so that the hold the engine then puts on
 * the user applies to the right password too, as without the cache. The price: a changed password, a locked user or a changed group or tenant membership
 * takes up to the cache time to reach the REST API (the web apps keep their own session login and are not affected).
 */
public class CachingBasicAuthenticationProvider extends HttpBasicAuthenticationProvider {

  static final String CACHE_SECONDS_VARIABLE = "ENGINE_REST_AUTH_CACHE_SECONDS";
  /** Enough for the technical user, every worker node and the staff of a large jobcenter logged in at once. */
  static final int MAX_ENTRIES = 10_000;

  private record Login(String userId, List<String> groups, List<String> tenants, long validUntilNanos) {}

  private final Map<String, Login> logins = new ConcurrentHashMap<>();
  private final long ttlNanos;

  public CachingBasicAuthenticationProvider() {
    this(cacheSeconds(System.getenv(CACHE_SECONDS_VARIABLE)));
  }

  CachingBasicAuthenticationProvider(long seconds) {
    this.ttlNanos = seconds * 1_000_000_000L;
  }

  static long cacheSeconds(String raw) {
    return SecondsSetting.parse(CACHE_SECONDS_VARIABLE, raw, 30);
  }

  @Override
  public AuthenticationResult extractAuthenticatedUser(HttpServletRequest request, ProcessEngine engine) {
    String header = request.getHeader("Authorization");
    if (ttlNanos == 0 || header == null) return super.extractAuthenticatedUser(request, engine);
    String key = engine.getName() + ":" + sha256(header);
    long now = System.nanoTime();
    Login known = logins.get(key);
    if (known != null && now - known.validUntilNanos() < 0) return resultOf(known);

    AuthenticationResult result = super.extractAuthenticatedUser(request, engine);
    if (!result.isAuthenticated()) {
      // A wrong password puts the user's login on hold in the engine; the remembered right one must not pass it.
      String user = userOf(header);
      logins.values().removeIf(login -> login.userId().equals(user));
      return result;
    }
    Login login = resolve(engine.getIdentityService(), result.getAuthenticatedUser(), now + ttlNanos);
    if (logins.size() >= MAX_ENTRIES) logins.clear();
    logins.put(key, login);
    return resultOf(login);
  }

  /** The same lookups ProcessEngineAuthenticationFilter makes when a provider leaves groups and tenants open. */
  private static Login resolve(IdentityService identity, String userId, long validUntilNanos) {
    List<String> groups = identity.createGroupQuery().groupMember(userId).list().stream().map(Group::getId).toList();
    List<String> tenants =
        identity.createTenantQuery().userMember(userId).includingGroupsOfUser(true).list().stream()
            .map(Tenant::getId)
            .toList();
    return new Login(userId, groups, tenants, validUntilNanos);
  }

  private static AuthenticationResult resultOf(Login login) {
    AuthenticationResult result = AuthenticationResult.successful(login.userId());
    result.setGroups(login.groups());
    result.setTenants(login.tenants());
    return result;
  }

  /** The user name of a Basic header, or null when the header is not one. */
  static String userOf(String header) {
    if (!header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
    try {
      String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : decoded.substring(0, colon);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
