/** Opening the store migrates it, opening it again changes nothing, and a failing migration is named. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kysely, sql } from 'kysely';

import { migrateToLatest, MigrationError, MIGRATIONS, type Store } from '../../../src/store/index.js';
import { createPGliteDialect } from '../../../src/store/pglite-dialect.js';
import { BACKENDS, type TestDatabase, testDatabase } from './backends.js';
import { insertApplication } from './fixtures.js';

const TABLES = [
  'absences',
  'api_idempotency',
  'application_households',
  'applications',
  'appointments',
  'audit_log',
  'case_periods',
  'customers',
  'deadlines',
  'documents',
  'history_notes',
  'households',
  'notifications',
  'persons',
  'skeleton_visits',
];

describe.each(BACKENDS)('migrations on %s', (kind) => {
  let database: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await testDatabase(kind, { persistent: true });
    store = await database.open();
  }, 30_000);
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('applies every migration on open, creating all tables', async () => {
    expect(store.kind).toBe(kind);
    expect(await store.isMigrated()).toBe(true);
    const tables = await sql<{
      table_name: string;
    }>`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`.execute(store.db);
    expect(tables.rows.map((t) => t.table_name)).toEqual(expect.arrayContaining(TABLES));
    const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(store.db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS));
  });

  it('treats a second open of the same database as a no-op and keeps its rows', async () => {
    const id = await insertApplication(store.db);
    const before = await sql<{
      name: string;
      timestamp: string;
    }>`SELECT name, timestamp FROM kysely_migration ORDER BY name`.execute(store.db);
    await store.close();
    store = await database.open();
    expect(await store.isMigrated()).toBe(true);
    expect(await migrateToLatest(store.db)).toEqual([]);
    const after = await sql<{
      name: string;
      timestamp: string;
    }>`SELECT name, timestamp FROM kysely_migration ORDER BY name`.execute(store.db);
    expect(after.rows).toEqual(before.rows);
    expect(await store.db.selectFrom('applications').select('id').where('id', '=', id).executeTakeFirst()).toEqual({
      id,
    });
  }, 30_000);

  if (kind === 'postgres') {
    it('lets two processes open a fresh database at the same time', async () => {
      const fresh = await testDatabase(kind);
      try {
        const [a, b] = await Promise.all([fresh.open(), fresh.open()]);
        expect(await a.isMigrated()).toBe(true);
        expect(await b.isMigrated()).toBe(true);
        await Promise.all([a.close(), b.close()]);
      } finally {
        await fresh.drop();
      }
    }, 30_000);
  }
});

describe('a failing migration', () => {
  it('names the migration, keeps the cause and leaves none of that run applied', async () => {
    const db = new Kysely<unknown>({ dialect: await createPGliteDialect(undefined) });
    try {
      const broken = {
        '001_fine': { up: async (tx: Kysely<unknown>) => void (await sql`CREATE TABLE fine (x int)`.execute(tx)) },
        '002_broken': {
          up: async (tx: Kysely<unknown>) => void (await sql`ALTER TABLE missing ADD COLUMN y int`.execute(tx)),
        },
      };
      const failure = await migrateToLatest(db, broken).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(MigrationError);
      expect((failure as MigrationError).migrationName).toBe('002_broken');
      expect((failure as Error).message).toMatch(/migration 002_broken failed: .*missing/);
      expect((failure as Error).cause).toBeDefined();
      const fine = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'fine'`.execute(db);
      expect(Number(fine.rows[0]!.n)).toBe(0);
    } finally {
      await db.destroy();
    }
  });
});
