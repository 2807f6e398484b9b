// `npm run restore -- --from FILE`: replaces the database with a backup. Stop the server first.
// The backup is checked (integrity and audit chain) before anything is touched.
import { parseArgs } from 'node:util';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { loadConfig } from '../config';
import { verifyAuditChain } from '../../db/queries/audit';
import { integrity, withReadOnlyStore, withStore } from './open-store';

if (loadConfig().databaseUrl) {
  console.error('DATABASE_URL names a PostgreSQL register: back it up and restore it with pg_restore (see README, Backups).');
  process.exit(2);
}
const { values } = parseArgs({ options: { from: { type: 'string' } } });
if (!values.from || !existsSync(values.from)) {
  console.error('usage: npm run restore -- --from FILE   (the file must exist)');
  process.exit(2);
}
const from = values.from;
const check = await withReadOnlyStore(from, integrity);
if (check !== 'ok') {
  console.error(`refusing to restore: the backup's integrity check says ${check}`);
  process.exit(1);
}
const target = loadConfig().databaseFile;
// The old WAL and shared-memory files belong to the old database; left behind they would be replayed onto the backup.
for (const suffix of ['', '-wal', '-shm']) rmSync(target + suffix, { force: true });
copyFileSync(from, target);
const chain = await withStore(target, (store) => verifyAuditChain(store));
console.log(`restored ${target} from ${from}: integrity ok, audit chain ${chain.ok ? `ok (${chain.rows} rows)` : `BROKEN at row ${chain.badId}`}`);
if (!chain.ok) process.exit(1);
