import { sql } from 'drizzle-orm';
import { openPgStore } from '../db/client-pg';
import { openStore } from '../db/store';
import { seedDemo } from '../db/seed/demo';
import { currentTerm } from '../db/queries/terms';
import { studentCourseProgress } from '../server/progress/student-progress';
import { termCourseProgress } from '../server/progress/term-admission';
import pg from 'pg';
const TODAY = '2026-11-24';
const admin = new pg.Client('postgres://postgres@127.0.0.1:5432/postgres'); await admin.connect();
await admin.query('DROP DATABASE IF EXISTS zk_prof'); await admin.query('CREATE DATABASE zk_prof');
for (const [name, store] of [['pg', await openPgStore('postgres://postgres@127.0.0.1:5432/zk_prof')], ['sqlite', openStore('/tmp/zk-prof/z.sqlite')]] as const) {
  let t0 = performance.now();
  await seedDemo(store, { today: TODAY, passwordHash: 'x' });
  console.log(name, 'seed', Math.round(performance.now() - t0), 'ms', store.stats);
  const termId = (await currentTerm(store, TODAY))!.id;
  const ids = (await store.all<{ id: number }>(sql`SELECT DISTINCT student_id AS id FROM group_memberships ORDER BY student_id`)).map((r) => r.id);
  const s0 = store.stats.statements;
  t0 = performance.now();
  for (const id of ids) await studentCourseProgress(store, id, termId, TODAY);
  console.log(name, 'one by one', ids.length, Math.round(performance.now() - t0), 'ms', (store.stats.statements - s0) / ids.length, 'stmts/student');
  t0 = performance.now();
  await termCourseProgress(store, ids, termId, TODAY);
  console.log(name, 'batched', Math.round(performance.now() - t0), 'ms');
  await store.close();
}
await admin.query('DROP DATABASE zk_prof'); await admin.end();
