/**
 * Runs a worker's handler the way the runner does (input and output parsed, outcome mapped) against a real
 * in-memory store and the sample settings, with a fixed clock. Unit level: no engine. The application a worker
 * works on is seeded with `seedApplication` from test/support, re-exported here for the worker specs.
 */
import winston from 'winston';

import { type AppDeps, appDeps } from '../../../src/app/deps.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import type { Mail, Mailer } from '../../../src/notify/transports.js';
import type { AnyWorker } from '../../../src/worker-runtime/define-worker.js';
import { type ExternalTaskOutcome, runExternalTask } from '../../../src/worker-runtime/run-external-task.js';
import { openMemoryStore } from '../../support/memory-store.js';

export { seedApplication, type SeedMember } from '../../support/application.js';

export const log = winston.createLogger({ silent: true });

export class RecordingMailer implements Mailer {
  sent: Mail[] = [];
  async send(mail: Mail) {
    this.sent.push(mail);
  }
  close() {}
}

export async function testDeps(
  now = new Date('2026-11-23T09:00:00+01:00'),
): Promise<AppDeps & { mailer: RecordingMailer }> {
  const { jobcenters, problems } = loadJobcenters('processes');
  if (problems.length) throw new Error(problems.join('\n'));
  const mailer = new RecordingMailer();
  return {
    ...appDeps({ store: await openMemoryStore(), calendars: calendarsFor(jobcenters), jobcenters, now: () => now }),
    mailer,
  };
}

export interface JobOptions {
  /** The task's extension properties (`camunda:properties`). */
  properties?: Record<string, string>;
  processInstanceId?: string;
  activityInstanceId?: string;
  retries?: number;
}

export function job(worker: AnyWorker, variables: Record<string, unknown>, opts: JobOptions = {}) {
  return {
    id: String(Math.floor(Math.random() * 1e12)),
    topic: worker.topic,
    processInstanceId: opts.processInstanceId ?? 'a1b2c3d4-0000-11f1-8000-000000000001',
    processDefinitionKey: 'neukunde-cottbus',
    businessKey: null,
    activityId: 'Task_Test',
    activityInstanceId: opts.activityInstanceId ?? 'Task_Test:a1b2c3d4-0000-11f1-8000-000000000002',
    retries: opts.retries ?? null,
    properties: opts.properties ?? {},
    variables,
  };
}

export function run(
  worker: AnyWorker,
  deps: AppDeps,
  variables: Record<string, unknown>,
  opts: JobOptions = {},
): Promise<ExternalTaskOutcome> {
  return runExternalTask(worker, job(worker, variables, opts), deps, log);
}

/** Completes or fails the test with the outcome's message, so a failing worker says why. */
export function completed(outcome: ExternalTaskOutcome): Record<string, any> {
  if (outcome.kind !== 'complete') throw new Error(`expected completion, got ${JSON.stringify(outcome)}`);
  return outcome.variables;
}
