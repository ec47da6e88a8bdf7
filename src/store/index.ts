/** The store's public face: open it, its types, and how to read a database refusal. */
export { openStore, migrateToLatest, MigrationError, type Store } from './open-store.js';
export { isUniqueViolation, isRefusedByTrigger } from './errors.js';
export type * from './schema.js';
