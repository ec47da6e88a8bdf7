/** The store's public face: open it, migrate it, its table types, number formats, and how to read a refusal. */
export { openStore, type Store, type StoreOptions } from './open-store.js';
export { migrateToLatest, isMigrated, MigrationError, MIGRATIONS } from './migrate.js';
export { isUniqueViolation, isRefusedByTrigger, isCheckOrTriggerViolation } from './errors.js';
export { nextKdNumber, nextBgNumber, bgPrefix } from './numbers.js';
export type * from './schema.js';
