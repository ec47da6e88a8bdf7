/**
 * The backends store tests run on: PGlite always, PostgreSQL too when TEST_DATABASE_URL names a server.
 * Each PostgreSQL store gets a fresh database, dropped on close, so runs never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../../src/store/index.js';

export const BACKENDS: ('pglite' | 'postgres')[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export async function openTestStore(kind: 'pglite' | 'postgres'): Promise<Store> {
  if (kind === 'pglite') return openStore({});
  const admin = process.env.TEST_DATABASE_URL!;
  const name = `store_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString() });
  return {
    ...store,
    async close() {
      await store.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}
