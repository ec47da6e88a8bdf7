/**
 * The backends store tests run on: PGlite always, PostgreSQL too when TEST_DATABASE_URL names a server.
 * Each PostgreSQL store gets a fresh database, dropped on close, so runs never see each other's rows.
 */
import { openStore, type Store } from '../../../src/store/index.js';
import { createScratchDatabase } from '../../../src/store/scratch-database.js';

export const BACKENDS: ('pglite' | 'postgres')[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export async function openTestStore(kind: 'pglite' | 'postgres'): Promise<Store> {
  if (kind === 'pglite') return openStore({});
  const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'store_test');
  const store = await openStore({ databaseUrl: scratch.url });
  return {
    ...store,
    async close() {
      await store.close();
      await scratch.drop();
    },
  };
}
