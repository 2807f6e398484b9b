// How the commands reach the database: as the app does, through a store (db/store.ts). Both of its
// connections are closed when the work is done, whatever happened.
import Database from 'better-sqlite3';
import { openStore, SqliteStore, type Store } from '../../db/store';
import { openConfiguredStore, type StoreTarget } from '../../db/open';
import { DatabaseUrlError } from '../../db/client-pg';

/** The database file, created and migrated if needed. */
export async function withStore<T>(file: string, fn: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = openStore(file);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * The register the configuration names (DATABASE_URL, else the SQLite file), closed when the work is done.
 * An unreachable or wrong DATABASE_URL ends the command with its message and exit code 2.
 */
export async function withConfiguredStore<T>(target: StoreTarget, fn: (store: Store) => Promise<T>): Promise<T> {
  let store: Store;
  try {
    store = await openConfiguredStore(target);
  } catch (e) {
    if (e instanceof DatabaseUrlError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A file that is checked before it is trusted (a backup): opened read-only, never migrated or written. */
export async function withReadOnlyStore<T>(file: string, fn: (store: SqliteStore) => Promise<T>): Promise<T> {
  return using(new Database(file, { readonly: true, fileMustExist: true }), fn);
}

async function using<T>(connection: Database.Database, fn: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = new SqliteStore(connection, { ownsWriter: true });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** SQLite's integrity_check as one line: 'ok', or the problems it found. */
export async function integrity(store: SqliteStore): Promise<string> {
  return (await store.sqlite.integrityCheck()).join('; ');
}
