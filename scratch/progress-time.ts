// Scratch: CPU time of the family homes' progress computation on the demo (not a test, not the bench).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openStore } from '../db/store';
import { seedDemo } from '../db/seed/demo';
import { hashPassword } from '../server/auth/password';
import { currentTerm } from '../db/queries/terms';
import { studentCourseProgress, guardianChildren } from '../server/progress/student-progress';

const dir = mkdtempSync(join(tmpdir(), 'zk-prog-'));
const store = openStore(join(dir, 'z.sqlite'));
const today = new Date().toISOString().slice(0, 10);
await seedDemo(store, { today, passwordHash: await hashPassword('x') });
const term = (await currentTerm(store, today))!;
const student = (await store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = 'student@demo.test'`))!.id;
const parent = (await store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = 'parent@demo.test'`))!.id;
for (const [name, f] of [['student', () => studentCourseProgress(store, student, term.id, today)], ['parent', () => guardianChildren(store, parent, term.id, today)]] as const) {
  for (let i = 0; i < 50; i++) await f();
  const t0 = process.cpuUsage();
  const n = 300;
  for (let i = 0; i < n; i++) await f();
  const u = process.cpuUsage(t0);
  console.log(`${name}: ${((u.user + u.system) / n / 1000).toFixed(2)} ms CPU per call`);
}
await store.close();
