// How the commands reach the database: as the app does, through a store (db/store.ts). Both of its
// connections are closed when the work is done, whatever happened.
import Database from 'better-sqlite3';
import { openStore, SqliteStore } from '../../db/store';

/** The database file, created and migrated if needed. */
export async function withStore<T>(file: string, fn: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = openStore(file);
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
