// `npm run bench:statements`: how many SQL statements the pages people wait for cost. Every statement
// executed on any better-sqlite3 connection is counted (run/get/all/iterate on the Statement
// prototype), whichever layer issued it, so the figure compares across versions of the code.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { openStore } from '../db/store';
import { seedDemo } from '../db/seed/demo';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { createSession, generateSessionToken, SESSION_COOKIE } from '../server/auth/session';
import { CSRF_COOKIE, csrfTokenFor, newCsrfSeed } from '../server/auth/csrf';
import { dateInZone } from '../server/domain/time';

let executed = 0;
const probe = new Database(':memory:');
const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
for (const m of ['run', 'get', 'all', 'iterate']) {
  const original = proto[m];
  proto[m] = function (this: { source?: string }, ...args: unknown[]) {
    executed++;
    if (process.env.TRACE) console.log(`  ${m}: ${(this.source ?? '').replace(/\s+/g, ' ').slice(0, 150)}`);
    return original.apply(this, args);
  };
}
probe.close();

const dir = mkdtempSync(join(tmpdir(), 'zachetka-statements-'));
try {
  const store = openStore(join(dir, 'z.sqlite'));
  const today = dateInZone(Date.now(), 'Europe/Minsk');
  await seedDemo(store, { today, passwordHash: 'x' });
  const app = await buildApp({ store, config: loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', SECRET: 'statements-secret-statements-secret-01' }), logger: false });
  await app.ready();
  const who = async (email: string) => {
    const { id } = (await store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = ${email}`))!;
    const token = generateSessionToken();
    const session = await store.tx((tx) => createSession(tx, token, id, Date.now()));
    const seed = newCsrfSeed();
    return { cookie: `${SESSION_COOKIE}=${token}; ${CSRF_COOKIE}=${seed}`, csrf: csrfTokenFor(app.config.secret, seed, session.id) };
  };
  const student = await who('student@demo.test');
  const teacher = await who('teacher@demo.test');
  const course = (await store.get<{ id: number }>(sql`SELECT c.id FROM courses c JOIN subjects s ON s.id = c.subject_id
    JOIN course_groups cg ON cg.course_id = c.id JOIN groups g ON g.id = cg.group_id
    WHERE s.name_en LIKE 'Human Anatomy%' AND g.name = '1101' ORDER BY c.id LIMIT 1`))!.id;
  const lesson = (await store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id
    WHERE l.course_id = ${course} AND g.name = '1101' AND l.date <= ${today} AND l.cancelled = ${false} ORDER BY l.date DESC LIMIT 1`));
  const pupil = (await store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = 'student@demo.test'`))!.id;

  const count = async (label: string, req: InjectOptions) => {
    const before = executed;
    const res = await app.inject(req);
    console.log(`${label.padEnd(34)} ${String(executed - before).padStart(4)} statements  (HTTP ${res.statusCode})`);
  };
  await count('GET / (student home)', { method: 'GET', url: '/', headers: { cookie: student.cookie } });
  await count('GET /courses/:id (journal)', { method: 'GET', url: `/courses/${course}`, headers: { cookie: teacher.cookie } });
  if (lesson) {
    const v = await store.get<{ version: number }>(sql`SELECT version FROM marks WHERE lesson_id = ${lesson.id} AND student_id = ${pupil}`);
    const a = await store.get<{ version: number }>(sql`SELECT version FROM attendance WHERE lesson_id = ${lesson.id} AND student_id = ${pupil}`);
    const body = new URLSearchParams({ lessonId: String(lesson.id), studentId: String(pupil), value: '8', av: String(a?.version ?? 0), mv: String(v?.version ?? 0), reason: 'bench' });
    await count('POST /courses/:id/cells (a mark)', {
      method: 'POST', url: `/courses/${course}/cells`, payload: body.toString(),
      headers: { cookie: teacher.cookie, 'x-csrf-token': teacher.csrf, 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true' },
    });
  } else {
    console.log('no lesson of Human Anatomy for 1101 yet: the cell save is not measured');
  }
  await app.close();
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
