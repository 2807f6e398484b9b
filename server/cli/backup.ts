// `npm run backup -- --out FILE`: an online copy of the database (SQLite's backup API), safe while
// the server is running and writing; the copy is checked before we say it is good.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { loadConfig } from '../config';
import { integrity, withReadOnlyStore, withStore } from './open-store';

if (loadConfig().databaseUrl) {
  console.error('DATABASE_URL names a PostgreSQL register: back it up and restore it with pg_dump (see README, Backups).');
  process.exit(2);
}
const { values } = parseArgs({ options: { out: { type: 'string' } } });
if (!values.out) {
  console.error('usage: npm run backup -- --out FILE');
  process.exit(2);
}
const out = values.out;
const source = loadConfig().databaseFile;
if (!existsSync(source)) {
  console.error(`no database at ${source}: nothing to back up`);
  process.exit(1);
}
const started = performance.now();
await withStore(source, (store) => store.sqlite.backupTo(out));
const check = await withReadOnlyStore(out, integrity);
if (check !== 'ok') {
  console.error(`backup written to ${out} but its integrity check says: ${check}`);
  process.exit(1);
}
console.log(`backup written to ${out} in ${Math.round(performance.now() - started)} ms (integrity ok)`);
