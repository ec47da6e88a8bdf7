/** Which adapter a jobcenter uses: chosen in its jobcenter.json, `store` by default, an unknown name refused at start. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { Atv } from '../../../src/adapters/index.js';
import { type AdapterRegistry, ADAPTERS } from '../../../src/adapters/registry.js';
import { StoreVerbis } from '../../../src/adapters/verbis/store-verbis.js';
import { appDeps } from '../../../src/app/deps.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { ConfigError, loadConfig } from '../../../src/config/load.js';
import type { Store } from '../../../src/store/index.js';
import { openMemoryStore } from '../../support/memory-store.js';

function processesDir(...jobcenters: Record<string, unknown>[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'processes-'));
  for (const settings of jobcenters) {
    mkdirSync(path.join(root, String(settings.id)));
    writeFileSync(path.join(root, String(settings.id), 'jobcenter.json'), JSON.stringify(settings));
  }
  return root;
}

const jobcenter = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Jobcenter ${id}`,
  state: 'NW',
  processId: 'neukunde-cottbus',
  ...extra,
});

function problemsOf(root: string): string[] {
  try {
    loadConfig({ PROCESSES_DIR: root });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('adapters in jobcenter.json', () => {
  it('uses the store for every system a jobcenter does not name', () => {
    const config = loadConfig({ PROCESSES_DIR: processesDir(jobcenter('testburg', { adapters: { atv: 'store' } })) });
    expect(config.jobcenters.get('testburg')?.adapters).toEqual({
      verbis: 'store',
      allegro: 'store',
      atv: 'store',
      eakte: 'store',
      fmg: 'store',
    });
  });

  it('refuses to start with an adapter the registry does not know, naming the file and the field', () => {
    const root = processesDir(jobcenter('testburg', { adapters: { atv: 'testburg-atv' } }));
    expect(problemsOf(root)).toEqual([
      `${path.join(root, 'testburg', 'jobcenter.json')}: adapters.atv: unknown adapter "testburg-atv" (registered: store)`,
    ]);
  });

  it('refuses a system we have no adapter for, and a name that is no name', () => {
    const problems = problemsOf(processesDir(jobcenter('testburg', { adapters: { lmg: 'store', fmg: 'FMG Job' } })));
    expect(problems.join('\n')).toMatch(/adapters: Unrecognized key: "lmg"/);
    expect(problems.join('\n')).toMatch(/adapters\.fmg: must be the lowercase name of an adapter/);
  });
});

describe('adapters of each jobcenter', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openMemoryStore();
  }, 30_000);
  afterAll(async () => {
    await store?.close();
  });

  const fakeAtv = { bookingFor: async () => undefined } as unknown as Atv;
  const registry: AdapterRegistry = { ...ADAPTERS, atv: { ...ADAPTERS.atv, 'testburg-atv': () => fakeAtv } };

  function depsFor(...settings: Record<string, unknown>[]) {
    const { jobcenters } = loadConfig({ PROCESSES_DIR: processesDir(...settings) }, { servesApi: false });
    return { store, calendars: calendarsFor(jobcenters), jobcenters, now: () => new Date() };
  }

  it("gives each jobcenter the implementation its settings name, and the store's to the others", () => {
    const base = depsFor(jobcenter('cottbus'), jobcenter('testburg'));
    const testburg = base.jobcenters.get('testburg')!;
    const withOwnAtv = new Map([
      ...base.jobcenters,
      ['testburg', { ...testburg, adapters: { ...testburg.adapters, atv: 'testburg-atv' } }],
    ]);
    const deps = appDeps({ ...base, jobcenters: withOwnAtv }, registry);
    expect(deps.adapters.of('testburg').atv).toBe(fakeAtv);
    expect(deps.adapters.of('cottbus').atv).not.toBe(fakeAtv);
    expect(deps.adapters.of('testburg').verbis).toBeInstanceOf(StoreVerbis);
  });

  it('fails to build, naming the jobcenter and the field, when a name is not in the registry', () => {
    const base = depsFor(jobcenter('testburg'));
    const testburg = base.jobcenters.get('testburg')!;
    const jobcenters = new Map([['testburg', { ...testburg, adapters: { ...testburg.adapters, eakte: 'nowhere' } }]]);
    expect(() => appDeps({ ...base, jobcenters })).toThrow(
      /jobcenter testburg: adapters\.eakte: unknown adapter "nowhere" \(registered: store\)/,
    );
  });

  it('has no adapters for a jobcenter without settings', () => {
    const deps = appDeps(depsFor(jobcenter('testburg')));
    expect(() => deps.adapters.of('kottbus')).toThrow('Jobcenter kottbus has no settings');
  });
});
