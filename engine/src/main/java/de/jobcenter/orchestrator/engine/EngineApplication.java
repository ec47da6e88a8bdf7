package de.jobcenter.orchestrator.engine;

import java.util.Map;
import java.util.Set;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.operaton.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The Operaton engine with its REST API and web apps (Cockpit, Tasklist, Admin). Processes are deployed over
 * REST by the orchestrator (`npm run deploy`), users, groups and authorizations are provisioned by it too.
 */
@SpringBootApplication
public class EngineApplication {

  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1");

  public static void main(String[] args) {
    String refusal = refusalOf(System.getenv());
    if (refusal != null) {
      System.err.println(refusal);
      System.exit(2);
    }
    SpringApplication.run(EngineApplication.class, args);
  }

  /**
   * The well-known local admin login (demo/demo) is for a developer's loopback engine only: an engine reachable
   * from other machines must be given its own admin password.
   */
  static String refusalOf(Map<String, String> env) {
    String bind = env.getOrDefault("ENGINE_BIND_ADDRESS", "127.0.0.1");
    String password = env.getOrDefault("ENGINE_ADMIN_PASSWORD", "demo");
    if (!LOOPBACK.contains(bind) && "demo".equals(password)) {
      return "ENGINE_ADMIN_PASSWORD must be set to a password of its own when ENGINE_BIND_ADDRESS (" + bind
          + ") is not a loopback address; the local default \"demo\" is refused.";
    }
    try {
      CachingBasicAuthenticationProvider.cacheSeconds(env.get(CachingBasicAuthenticationProvider.CACHE_SECONDS_VARIABLE));
      QueryIndexes.enabled(env.get(QueryIndexes.SWITCH_VARIABLE));
      H2Compaction.seconds(env.get(H2Compaction.SECONDS_VARIABLE));
      PostgresCustomPlans.enabled(env.get(PostgresCustomPlans.SWITCH_VARIABLE));
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    return null;
  }

  /**
   * The REST API is open by default; every call must carry HTTP Basic credentials of an engine user, so that
   * the engine's authorizations apply to the API and the workers as they do to the web apps. A successful login
   * is remembered for a few seconds (CachingBasicAuthenticationProvider).
   */
  @Bean
  public FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication() {
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration = new FilterRegistrationBean<>();
    registration.setName("operaton-rest-authentication");
    registration.setFilter(new ProcessEngineAuthenticationFilter());
    registration.addInitParameter(
        "authentication-provider", CachingBasicAuthenticationProvider.class.getName());
    registration.addUrlPatterns("/engine-rest/*");
    registration.setOrder(101);
    return registration;
  }

  /**
   * One tenant per jobcenter on shared definitions: the tenant comes from the instance's start variable
   * (JobcenterTenantIdProvider). The tenant check stays on (the engine's default, set again here so that no
   * property can switch it off unnoticed): a staff account sees only the tenants it is a member of.
   */
  @Bean
  public ProcessEnginePlugin jobcenterTenants() {
    return new AbstractProcessEnginePlugin() {
      @Override
      public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setTenantIdProvider(new JobcenterTenantIdProvider());
        configuration.setTenantCheckEnabled(true);
      }
    };
  }

  /** Indexes the engine's schema lacks for queries it runs on every external task (see QueryIndexes). */
  @Bean
  public ProcessEnginePlugin queryIndexes() {
    return new QueryIndexes(QueryIndexes.enabled(System.getenv(QueryIndexes.SWITCH_VARIABLE)));
  }

  /** Compaction of the H2 file, which WRITE_DELAY=0 leaves undone (see H2Compaction). */
  @Bean
  public ProcessEnginePlugin h2Compaction() {
    return new H2Compaction(H2Compaction.seconds(System.getenv(H2Compaction.SECONDS_VARIABLE)));
  }

  /** A plan per execution for the engine's statements on PostgreSQL (see PostgresCustomPlans). */
  @Bean
  public static PostgresCustomPlans postgresCustomPlans() {
    return new PostgresCustomPlans(PostgresCustomPlans.enabled(System.getenv(PostgresCustomPlans.SWITCH_VARIABLE)));
  }
}
