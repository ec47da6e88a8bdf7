package de.jobcenter.orchestrator.engine;

import org.operaton.bpm.engine.delegate.DelegateExecution;
import org.operaton.bpm.engine.impl.cfg.multitenancy.TenantIdProvider;
import org.operaton.bpm.engine.impl.cfg.multitenancy.TenantIdProviderCaseInstanceContext;
import org.operaton.bpm.engine.impl.cfg.multitenancy.TenantIdProviderHistoricDecisionInstanceContext;
import org.operaton.bpm.engine.impl.cfg.multitenancy.TenantIdProviderProcessInstanceContext;

/**
 * Each jobcenter is a tenant (tenant id = jobcenter id), while the process models, decisions and forms are
 * deployed once, without a tenant, and shared by every jobcenter that runs them. The engine asks this provider
 * only for instances of such shared definitions (a definition deployed for a tenant gives its own tenant); the
 * instance then takes the tenant from the start variable {@code jobcenter} the orchestrator's API sets, so its
 * tasks, jobs (timers), external tasks, incidents and history carry the tenant, and the engine's transparent
 * tenant check shows them only to members of that tenant.
 */
public class JobcenterTenantIdProvider implements TenantIdProvider {

  /** The start variable that names the jobcenter (src/api/applications/service.ts sets it on every start). */
  static final String JOBCENTER_VARIABLE = "jobcenter";

  @Override
  public String provideTenantIdForProcessInstance(TenantIdProviderProcessInstanceContext ctx) {
    // A called process belongs to the jobcenter of the process that called it, whatever its variables say.
    DelegateExecution caller = ctx.getSuperExecution();
    if (caller != null) return caller.getTenantId();
    Object jobcenter = ctx.getVariables() == null ? null : ctx.getVariables().get(JOBCENTER_VARIABLE);
    // Instances started without a jobcenter (test fixtures, engine probes) stay without a tenant.
    return jobcenter instanceof String id && !id.isBlank() ? id : null;
  }

  @Override
  public String provideTenantIdForCaseInstance(TenantIdProviderCaseInstanceContext ctx) {
    // We run no CMMN cases; a case would stay without a tenant.
    return null;
  }

  @Override
  public String provideTenantIdForHistoricDecisionInstance(TenantIdProviderHistoricDecisionInstanceContext ctx) {
    // A decision evaluated inside an instance is part of that jobcenter's history; one evaluated directly
    // over REST by the API (its Neukunde check before the start) belongs to no jobcenter yet.
    DelegateExecution execution = ctx.getExecution();
    return execution != null ? execution.getTenantId() : null;
  }
}
