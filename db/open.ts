// Which database a process runs on is configuration: DATABASE_URL=postgres://… selects PostgreSQL,
// otherwise the SQLite file (the embedded default). Both come back as the same Store.
import { openStore, type Store } from './store';
import { openPgStore } from './client-pg';

export type StoreTarget = { databaseUrl?: string; databaseFile: string };

export async function openConfiguredStore(target: StoreTarget): Promise<Store> {
  return target.databaseUrl ? openPgStore(target.databaseUrl) : openStore(target.databaseFile);
}
