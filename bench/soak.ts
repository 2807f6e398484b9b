// `npm run bench:soak`: a bounded soak. 2,000 sockets stay open on the demo journals while marks are
// written steadily and pages are read, for SOAK_SECONDS (60 by default). Reports errors (must be 0),
// lost pushes, server memory at start and end, and p99 latencies. Loopback only.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { openStore, type Queryable } from '../db/store';
import { seedDemo } from '../db/seed/demo';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { createSession, generateSessionToken, SESSION_COOKIE } from '../server/auth/session';
import { CSRF_COOKIE, csrfTokenFor, newCsrfSeed } from '../server/auth/csrf';
import { dateInZone } from '../views/format';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const SOCKETS = Number(process.env.SOAK_SOCKETS ?? 2000);
const WRITES_PER_SECOND = Number(process.env.SOAK_WRITES ?? 20);
const here = dirname(fileURLToPath(import.meta.url));
const pct = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN);

const dir = mkdtempSync(join(tmpdir(), 'zachetka-soak-'));
const store = openStore(join(dir, 'zachetka.sqlite'));
const today = dateInZone(Date.now(), 'Europe/Minsk');
await seedDemo(store, { today, passwordHash: 'x' });
const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', SECRET: 'soak-secret-soak-secret-soak-secret-0123' });
// Thousands of sockets as one teacher: the per-user socket cap (10) would refuse them.
const liveLimits = { socketsPerUser: Number.MAX_SAFE_INTEGER, connections: { burst: Number.MAX_SAFE_INTEGER, perSecond: 1e9 } };
const app = await buildApp({ store, config, logger: false, liveLimits });
await app.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
app.config.publicUrl = url;

const teacherId = (await store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = 'teacher@demo.test'`))!.id;
const course = (await store.get<{ id: number }>(sql`SELECT c.id FROM courses c JOIN course_teachers ct ON ct.course_id = c.id JOIN course_groups cg ON cg.course_id = c.id JOIN groups g ON g.id = cg.group_id
  WHERE ct.teacher_id = ${teacherId} AND g.name = '1101'`))!.id;
// Writes go to past lessons (with a reason) so there are many distinct cells.
const cells = await store.all<{ lessonId: number; studentId: number }>(sql`SELECT l.id AS "lessonId", m.student_id AS "studentId" FROM lessons l JOIN groups g ON g.id = l.group_id
  JOIN group_memberships m ON m.group_id = g.id AND m.to_date IS NULL
  WHERE l.course_id = ${course} AND g.name = '1101' AND l.date <= ${today} AND l.cancelled = ${false} AND m.from_date <= l.date LIMIT 200`);
const session = async (s: Queryable, userId: number) => {
  const token = generateSessionToken();
  const { id: sessionId } = await createSession(s, token, userId, Date.now());
  const seed = newCsrfSeed();
  return { token, cookie: `${SESSION_COOKIE}=${token}; ${CSRF_COOKIE}=${seed}`, csrf: csrfTokenFor(app.config.secret, seed, sessionId) };
};
const tokens = await store.tx(async (tx) => {
  const out: string[] = [];
  for (let i = 0; i < SOCKETS; i++) out.push((await session(tx, teacherId)).token);
  return out;
});
const writer = await store.tx((tx) => session(tx, teacherId));
const studentId = (await store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = 'student@demo.test'`))!.id;
const student = await store.tx((tx) => session(tx, studentId));

global.gc?.();
const memStart = process.memoryUsage();
const child = fork(join(here, 'fanout-clients.mjs'), [], { stdio: 'inherit' });
await new Promise<void>((resolve) => {
  child.on('message', (m: { type: string }) => { if (m.type === 'ready') resolve(); });
  child.send({ url, origin: url, tokens, page: `course:${course}`, match: '\u0000never' }); // count nothing, just stay open
});
console.log(`soak: ${SOCKETS} sockets open; ${WRITES_PER_SECOND} writes/s and page reads for ${SECONDS} s`);

const writeLatencies: number[] = [];
let writeErrors = 0;
let written = 0;
const stopAt = Date.now() + SECONDS * 1000;
const writes = (async () => {
  let i = 0;
  while (Date.now() < stopAt) {
    const c = cells[i++ % cells.length];
    const v = (await store.get<{ av: number | null; mv: number | null }>(sql`SELECT (SELECT version FROM attendance WHERE lesson_id = ${c.lessonId} AND student_id = ${c.studentId}) AS av,
      (SELECT version FROM marks WHERE lesson_id = ${c.lessonId} AND student_id = ${c.studentId}) AS mv`))!;
    const t0 = performance.now();
    const res = await fetch(`${url}/courses/${course}/cells`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: writer.cookie, 'x-csrf-token': writer.csrf },
      body: new URLSearchParams({ lessonId: String(c.lessonId), studentId: String(c.studentId), value: String(4 + (i % 6)), av: String(v.av ?? 0), mv: String(v.mv ?? 0), reason: 'soak' }).toString(),
    });
    writeLatencies.push(performance.now() - t0);
    if (res.status === 200) written++; else writeErrors++;
    await new Promise((r) => setTimeout(r, 1000 / WRITES_PER_SECOND));
  }
})();
const reads = await new Promise<autocannon.Result>((resolve, reject) => {
  autocannon({ url: `${url}/`, connections: 4, duration: SECONDS, headers: { cookie: student.cookie } }, (err, res) => (err ? reject(err) : resolve(res)));
});
await writes;
child.kill();
global.gc?.();
const memEnd = process.memoryUsage();
writeLatencies.sort((a, b) => a - b);
const chain = await (await import('../db/queries/audit')).verifyAuditChain(store);
const out = {
  seconds: SECONDS, sockets: SOCKETS, writes: written, writeErrors, readRequests: reads.requests.total, readErrors: reads.errors + reads.non2xx,
  writeP50Ms: Number(pct(writeLatencies, 50).toFixed(1)), writeP99Ms: Number(pct(writeLatencies, 99).toFixed(1)), readP99Ms: reads.latency.p99,
  heapStartMB: Math.round(memStart.heapUsed / 1e6), heapEndMB: Math.round(memEnd.heapUsed / 1e6), rssStartMB: Math.round(memStart.rss / 1e6), rssEndMB: Math.round(memEnd.rss / 1e6),
  auditChain: chain.ok ? 'ok' : `broken at ${chain.badId}`,
};
console.table(out);
await app.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
if (out.writeErrors || out.readErrors || !chain.ok) process.exit(1);
