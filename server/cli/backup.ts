// `npm run backup -- --out FILE`: an online copy of the database (SQLite's backup API), safe while
// the server is running and writing; the copy is checked before we say it is good.
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { loadConfig } from '../config';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
if (!values.out) {
  console.error('usage: npm run backup -- --out FILE');
  process.exit(2);
}
const source = new Database(loadConfig().databaseFile, { fileMustExist: true });
source.pragma('busy_timeout = 5000');
const started = performance.now();
await source.backup(values.out);
source.close();
const copy = new Database(values.out, { readonly: true });
const check = copy.pragma('integrity_check', { simple: true });
copy.close();
if (check !== 'ok') {
  console.error(`backup written to ${values.out} but its integrity check says: ${check}`);
  process.exit(1);
}
console.log(`backup written to ${values.out} in ${Math.round(performance.now() - started)} ms (integrity ok)`);
