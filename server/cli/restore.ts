// `npm run restore -- --from FILE`: replaces the database with a backup. Stop the server first.
// The backup is checked (integrity and audit chain) before anything is touched.
import { parseArgs } from 'node:util';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { loadConfig } from '../config';
import { openDatabase } from '../../db/client';
import { verifyAuditChain } from '../../db/queries/audit';

const { values } = parseArgs({ options: { from: { type: 'string' } } });
if (!values.from || !existsSync(values.from)) {
  console.error('usage: npm run restore -- --from FILE   (the file must exist)');
  process.exit(2);
}
const probe = new Database(values.from, { readonly: true, fileMustExist: true });
const check = probe.pragma('integrity_check', { simple: true });
probe.close();
if (check !== 'ok') {
  console.error(`refusing to restore: the backup's integrity check says ${check}`);
  process.exit(1);
}
const target = loadConfig().databaseFile;
// The old WAL and shared-memory files belong to the old database; left behind they would be replayed onto the backup.
for (const suffix of ['', '-wal', '-shm']) rmSync(target + suffix, { force: true });
copyFileSync(values.from, target);
const db = openDatabase(target);
const chain = verifyAuditChain(db);
db.$client.close();
console.log(`restored ${target} from ${values.from}: integrity ok, audit chain ${chain.ok ? `ok (${chain.rows} rows)` : `BROKEN at row ${chain.badId}`}`);
if (!chain.ok) process.exit(1);
