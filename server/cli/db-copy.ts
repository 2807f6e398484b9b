// `npm run db:copy -- --from data/zachetka.sqlite --to postgres://user@host:5432/zachetka`
// Copies a SQLite register into an empty PostgreSQL database (migrated first), then checks that every
// table has the same number of rows on both sides and that the audit chain verifies on the target.
// Stop the server first: a write during the copy would be on neither side's checks.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { copyRegister, targetIsEmpty } from '../../db/copy';
import { DatabaseUrlError, displayUrl, openPgStore } from '../../db/client-pg';
import { withReadOnlyStore } from './open-store';

const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } });
if (!values.from || !values.to) {
  console.error('usage: npm run db:copy -- --from data/zachetka.sqlite --to postgres://user@host:5432/database');
  process.exit(2);
}
if (!existsSync(values.from)) {
  console.error(`no SQLite register at ${values.from}`);
  process.exit(2);
}
const from = values.from;
let target;
try {
  target = await openPgStore(values.to);
} catch (e) {
  if (!(e instanceof DatabaseUrlError)) throw e;
  console.error(e.message);
  process.exit(2);
}
const started = performance.now();
let code = 0;
try {
  if (!(await targetIsEmpty(target))) {
    console.error(`refusing to copy: ${displayUrl(values.to)} already holds data (db:copy fills an empty database only)`);
    code = 1;
  } else {
    const report = await withReadOnlyStore(from, (source) => copyRegister(source, target, (name, n) => console.log(`  ${name.padEnd(22)} ${n}`)));
    const wrong = report.tables.filter((t) => t.source !== t.target);
    for (const t of wrong) console.error(`row count differs in ${t.name}: ${t.source} in SQLite, ${t.target} in PostgreSQL`);
    if (!report.chain.ok) console.error(`audit chain BROKEN on the target at row ${report.chain.badId} (${report.chain.problem})`);
    if (wrong.length || !report.chain.ok) code = 1;
    else {
      const rows = report.tables.reduce((n, t) => n + t.target, 0);
      console.log(`Copied ${rows} rows in ${report.tables.length} tables to ${displayUrl(values.to)} in ${Math.round(performance.now() - started)} ms; ` +
        `row counts match, audit chain OK (${report.chain.rows} rows).`);
    }
  }
} finally {
  await target.close();
}
process.exit(code);
