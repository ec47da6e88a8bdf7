/** The store's public face: open it, migrate it, its table types, number formats, and how to read a refusal. */
export { isCheckOrTriggerViolation, isRefusedByTrigger, isUniqueViolation } from './errors.js';
export { isMigrated, migrateToLatest, MigrationError, MIGRATIONS } from './migrate.js';
export { bgPrefix, nextBgNumber, nextKdNumber } from './numbers.js';
export { openStore, type Store, type StoreOptions } from './open-store.js';
export type * from './schema.js';
