/**
 * The backends store tests run on, for `describe.each(BACKENDS)`: PGlite always, PostgreSQL too when
 * TEST_DATABASE_URL names a server (an admin URL: each test database is created through it and dropped after).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll } from '@jest/globals';

import { openStore, type Store } from '../../../src/store/index.js';
import { createScratchDatabase } from '../../../src/store/scratch-database.js';
import { openMemoryStore } from '../../support/memory-store.js';

export type BackendKind = Store['kind'];

const adminUrl = process.env.TEST_DATABASE_URL;

export const BACKENDS: BackendKind[] = adminUrl ? ['pglite', 'postgres'] : ['pglite'];

/** One empty database that can be opened more than once (to test reopening); `drop` removes it for good. */
export interface TestDatabase {
  kind: BackendKind;
  open(): Promise<Store>;
  drop(): Promise<void>;
}

/**
 * PGlite: in memory, started from a migrated copy (test/support/memory-store.ts), unless `persistent` asks for a
 * temporary directory, which reopening needs (an in-memory PGlite lives and dies with its one instance), and which
 * runs the migrations on an empty database. PostgreSQL: a fresh database `store_test_<random>`.
 */
export async function testDatabase(kind: BackendKind, options: { persistent?: boolean } = {}): Promise<TestDatabase> {
  if (kind === 'pglite') {
    if (!options.persistent) return { kind, open: () => openMemoryStore(), drop: async () => {} };
    const dataDir = mkdtempSync(path.join(tmpdir(), 'store-test-'));
    return {
      kind,
      open: () => openStore({ dataDir }),
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  if (!adminUrl) throw new Error('PostgreSQL tests need TEST_DATABASE_URL');
  const scratch = await createScratchDatabase(adminUrl, 'store_test');
  return { kind, open: () => openStore({ databaseUrl: scratch.url }), drop: () => scratch.drop() };
}

/** A store on a database of its own; closing it also drops the database. */
export async function openTestStore(kind: BackendKind): Promise<Store> {
  const database = await testDatabase(kind);
  let store: Store;
  try {
    store = await database.open();
  } catch (e) {
    await database.drop();
    throw e;
  }
  return {
    ...store,
    async close() {
      try {
        await store.close();
      } finally {
        await database.drop();
      }
    },
  };
}

/**
 * Opens a store of this kind before the tests of the enclosing describe block and closes it after. The returned
 * object stands for that store (a proxy), so tests use it as they would the store itself.
 */
export function useTestStore(kind: BackendKind): Store {
  let store: Store | undefined;
  beforeAll(async () => {
    store = await openTestStore(kind);
  }, 30_000);
  afterAll(async () => {
    await store?.close();
  });
  return new Proxy({} as Store, {
    get(_target, prop) {
      if (!store) throw new Error('The test store is opened in beforeAll; use it inside a test');
      const value = Reflect.get(store, prop, store) as unknown;
      return typeof value === 'function' ? value.bind(store) : value;
    },
  });
}
