/**
 * The only module that talks to zeebe-node: registers one ZBWorker per worker definition, carries out
 * each job's outcome, and drains on shutdown (stop activating, let running jobs finish, close).
 */
import { ZBClient, type ZBWorker } from 'zeebe-node';
import type { JSONDoc } from 'zeebe-node/dist/lib/interfaces-1.0.js';
import type { Logger } from 'winston';
import type { AnyWorker } from './define-worker.js';
import { declaredVariables, runJob, type JobOutcome } from './run-job.js';

export interface WorkerHostOptions {
  gatewayAddress: string;
  maxJobsActive: number;
  log: Logger;
}

export interface WorkerHost {
  client: ZBClient;
  types: string[];
  close(timeoutMs?: number): Promise<void>;
}

export function createZeebeClient(gatewayAddress: string): ZBClient {
  return new ZBClient(gatewayAddress, {
    useTLS: false,
    loglevel: 'NONE',
    // Reconnect on our own schedule: the engine may restart under us and workers must come back alone.
    retry: true,
    maxRetries: -1,
    maxRetryTimeout: 10_000,
  });
}

/** Matches `allegro.*`, `notify.send` or `*`: lets operators run a subset of workers as their own service. */
export function selectWorkers(all: AnyWorker[], patterns: string[] | undefined): AnyWorker[] {
  if (!patterns?.length) return all;
  const regexes = patterns.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
  return all.filter((w) => regexes.some((r) => r.test(w.type)));
}

export function startWorkers<Deps>(workers: AnyWorker[], deps: Deps, opts: WorkerHostOptions): WorkerHost {
  const client = createZeebeClient(opts.gatewayAddress);
  const zbWorkers: ZBWorker<any, any, any>[] = [];
  for (const worker of workers) {
    const fetchVariable = declaredVariables(worker);
    zbWorkers.push(
      client.createWorker({
        taskType: worker.type,
        maxJobsToActivate: opts.maxJobsActive,
        timeout: (worker.timeoutSeconds ?? 60) * 1000,
        ...(fetchVariable ? { fetchVariable } : {}),
        failProcessOnException: false,
        loglevel: 'NONE',
        taskHandler: async (job) => {
          const log = opts.log.child({
            jobKey: job.key,
            jobType: job.type,
            processInstanceKey: job.processInstanceId,
            bpmnProcessId: job.bpmnProcessId,
            elementId: job.elementId,
          });
          const info = {
            key: job.key,
            type: job.type,
            processInstanceKey: job.processInstanceId,
            bpmnProcessId: job.bpmnProcessId,
            elementId: job.elementId,
            elementInstanceKey: job.activityInstanceId,
            retries: job.retries,
            customHeaders: job.properties as Record<string, string>,
            variables: job.variables,
          };
          const outcome: JobOutcome = await runJob(worker, info, deps, log);
          switch (outcome.kind) {
            case 'complete':
              log.info('job completed');
              return job.complete(outcome.variables);
            case 'error':
              return job.error({ errorCode: outcome.code, errorMessage: outcome.message, variables: outcome.variables as JSONDoc });
            case 'fail':
              if (outcome.retries === 0) log.error('job failed without retries: incident', { reason: outcome.message });
              return job.fail({ errorMessage: outcome.message, retries: outcome.retries, retryBackOff: outcome.backoffMs });
          }
        },
      }),
    );
  }
  opts.log.info('workers started', { types: workers.map((w) => w.type), gateway: opts.gatewayAddress });
  return {
    client,
    types: workers.map((w) => w.type),
    async close(timeoutMs = 30_000) {
      // ZBWorker.close stops polling and waits for the jobs in hand before it resolves.
      await Promise.all(zbWorkers.map((w) => w.close(timeoutMs)));
      await client.close(timeoutMs);
      opts.log.info('workers stopped');
    },
  };
}
