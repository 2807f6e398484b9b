// `npm run audit:verify`: walks the hash chain of the audit log and names the first row that was
// changed, removed or re-linked behind the application's back. Exit 0 when intact, 1 otherwise.
import { loadConfig } from '../config';
import { verifyAuditChain } from '../../db/queries/audit';
import { withConfiguredStore } from './open-store';

const started = performance.now();
const report = await withConfiguredStore(loadConfig(), (store) => verifyAuditChain(store));
const ms = Math.round(performance.now() - started);
if (report.ok) {
  console.log(`audit chain OK: ${report.rows} rows verified in ${ms} ms`);
} else {
  const what = { hash: 'its content does not match its hash (edited)', link: 'it does not link to the row before it', gap: 'rows before it are missing (deleted)',
    head: "the chain's head names another last row (rows cut off the end)" }[report.problem];
  console.error(`audit chain BROKEN at row ${report.badId}: ${what}. ${report.rows} rows read.`);
  process.exit(1);
}
