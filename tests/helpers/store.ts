import { openStore, type SqliteStore } from '../../db/store';

/**
 * A database file opened as the app opens it (created if needed, migrated): for work on the file
 * without a running app (seeding the template, a write while the server is down).
 */
export function openStoreOn(file: string): { store: SqliteStore; close: () => Promise<void> } {
  const store = openStore(file);
  return { store, close: () => store.close() };
}
