/**
 * POST /api/v1/applications under autocannon. Every request is a new application of a new household with its own
 * Idempotency-Key, so each one takes the full write path instead of being answered from the idempotency table.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import autocannon from 'autocannon';
import { addDays, lightFormat, parseISO } from 'date-fns';

import { berlinDate } from '../../src/calendar/index.js';
import type { ApiServerProcess } from './server-process.js';

export interface LoadShape {
  name: string;
  connections: number;
  /** Requests per second over all connections; unset: as fast as the API answers. */
  overallRate?: number;
  seconds: number;
}

export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** As read by the load generator; answers still in flight when it stopped are not in here. */
  read2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** e.g. "201 × 480, 503 × 2". */
  statusCodes: string;
  peakRssMb: number;
  seconds: number;
}

const isoDay = (d: Date) => lightFormat(d, 'yyyy-MM-dd');

/** A valid Cottbus application like the unit tests' one: a head of household with an ALG I claim, and a child. */
export function applicationBody(n: number, applicationDate: string) {
  // Heads born 1970–1997: over 15 and under the retirement age, so the neukunde decision answers yes, as for most intakes.
  const headBorn = isoDay(addDays(new Date(1970, 0, 1), n % 10_000));
  const childBorn = isoDay(addDays(new Date(2015, 0, 1), n % 1_000));
  return {
    jobcenter: 'cottbus',
    channel: (['EZ', 'SC', 'POST', 'ONLINE'] as const)[n % 4],
    applicationDate,
    reason: 'Arbeitslosigkeit',
    habitualResidenceInGermany: true,
    household: {
      members: [
        { givenName: `Erika${n}`, familyName: `Bench${n}`, birthDate: headBorn, role: 'head', erwerbsfaehig: true },
        { givenName: `Max${n}`, familyName: `Bench${n}`, birthDate: childBorn, role: 'member', erwerbsfaehig: false },
      ],
    },
    flags: { alg1Claim: { endsOn: isoDay(addDays(parseISO(applicationDate), 90)) } },
  };
}

/** The largest resident size the server reports while `running` has not settled. */
async function peakRssWhile(running: Promise<unknown>, rssMb: () => Promise<number>): Promise<number> {
  let settled = false;
  const done = running.then(
    () => (settled = true),
    () => (settled = true),
  );
  let peak = 0;
  while (!settled) {
    peak = Math.max(peak, await rssMb());
    await Promise.race([sleep(250), done]);
  }
  return Math.max(peak, await rssMb());
}

export type RequestFactory = () => autocannon.Request[];

/**
 * A fixed rate as `connections` clients with `overallRate / connections` requests/s each, their starts spread over
 * one second. One autocannon instance would send each second's whole quota at its start: at 50/s that is a burst
 * of 50, and the latencies measured are those of draining the burst, not of an even 50/s. Each client sends a
 * fixed number of requests rather than running for a time, so none is cut off in flight at the end.
 */
export async function pacedRun(
  url: string,
  shape: LoadShape & { overallRate: number },
  requests: RequestFactory,
): Promise<{ result: autocannon.Result; seconds: number }> {
  const perClient = shape.overallRate / shape.connections;
  if (!Number.isInteger(perClient)) throw new Error(`${shape.name}: the rate must be a multiple of the connections`);
  const stagger = 1000 / shape.connections;
  const amount = Math.max(1, Math.round(perClient * shape.seconds));
  const started = performance.now();
  // Up to the last answer: a client notices it is done only at its next tick, a whole interval later.
  let lastAnswer = started;
  const raw = await Promise.all(
    Array.from({ length: shape.connections }, async (_, i) => {
      await sleep(i * stagger);
      return autocannon({
        url,
        connections: 1,
        overallRate: perClient,
        amount,
        timeout: 10,
        ignoreCoordinatedOmission: true,
        skipAggregateResult: true,
        requests: requests(),
      }).on('response', () => {
        lastAnswer = performance.now();
      });
    }),
  );
  return {
    result: autocannon.aggregateResult(raw, { url, connections: shape.connections }),
    seconds: (lastAnswer - started) / 1000,
  };
}

async function unpacedRun(
  url: string,
  shape: LoadShape,
  requests: RequestFactory,
): Promise<{ result: autocannon.Result; seconds: number }> {
  const result = await autocannon({
    url,
    connections: shape.connections,
    duration: shape.seconds,
    timeout: 10,
    requests: requests(),
  });
  return { result, seconds: result.duration };
}

export async function postApplications(server: ApiServerProcess, shape: LoadShape): Promise<LoadFigures> {
  // Keys unique across runs against the same server; `n` is shared by all clients of this run.
  const run = randomBytes(4).toString('hex');
  const applicationDate = berlinDate(new Date());
  let n = 0;
  const requests: RequestFactory = () => [
    {
      method: 'POST',
      path: '/api/v1/applications',
      setupRequest: (request) => {
        const i = n++;
        return {
          ...request,
          headers: {
            ...request.headers,
            authorization: `Bearer ${server.token}`,
            'content-type': 'application/json',
            'idempotency-key': `bench-${run}-${i}`,
          },
          body: JSON.stringify(applicationBody(i, applicationDate)),
        };
      },
    },
  ];
  const load = shape.overallRate
    ? pacedRun(server.url, { ...shape, overallRate: shape.overallRate }, requests)
    : unpacedRun(server.url, shape, requests);
  const peakRssMb = await peakRssWhile(load, () => server.rssMb());
  const { result, seconds } = await load;
  return {
    // Responses over the run's wall time; autocannon's per-second average is lost when paced clients are merged.
    requestsPerSecond: result.requests.total / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    read2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.entries(result.statusCodeStats)
      .map(([code, { count }]) => `${code} × ${count}`)
      .join(', '),
    peakRssMb,
    seconds,
  };
}
