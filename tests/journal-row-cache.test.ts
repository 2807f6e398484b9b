import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { makeTestApp, loginAs, type Agent, type TestApp } from './helpers/app';
import { courseOf } from './helpers/lookup';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { TEST_NOW, TEST_TODAY } from './helpers/constants';

let t: TestApp;
let teacher: Agent;
let course: number;
let lesson: number;
let students: number[];

beforeAll(async () => {
  t = await makeTestApp();
  teacher = await loginAs(t.app, 'teacher@demo.test');
  course = await courseOf(t.store, 'Human Anatomy', '1101');
  lesson = (await t.store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id
    WHERE l.course_id = ${course} AND g.name = '1101' AND l.date = ${TEST_TODAY}`))!.id;
  students = (await t.store.all<{ id: number }>(sql`SELECT m.student_id AS id FROM group_memberships m JOIN groups g ON g.id = m.group_id
    WHERE g.name = '1101' AND m.to_date IS NULL ORDER BY m.student_id`)).map((r) => r.id);
});
afterAll(async () => { await t.close(); });

const versions = async (studentId: number) => ({
  av: (await t.store.get<{ v: number }>(sql`SELECT version AS v FROM attendance WHERE lesson_id = ${lesson} AND student_id = ${studentId}`))?.v ?? 0,
  mv: (await t.store.get<{ v: number }>(sql`SELECT version AS v FROM marks WHERE lesson_id = ${lesson} AND student_id = ${studentId}`))?.v ?? 0,
});
// Per render by design: the nonce and the new-lesson form's one-time token (server/prg.ts).
const normal = (body: string) => body.replace(/nonce="[^"]*"/g, 'nonce=""').replace(/name="ft" value="[^"]*"/g, 'name="ft" value=""');

/** The page as served now (cached rows where the cache has them), and as a render with an empty cache. */
async function servedAndFresh(app: FastifyInstance, url: string) {
  const served = await teacher.get(url);
  app.journalRows.clear();
  const fresh = await teacher.get(url);
  expect(served.statusCode).toBe(200);
  return { served: normal(served.body), fresh: normal(fresh.body) };
}

describe('the journal row cache', () => {
  it('serves rows from the cache; after each kind of change the page equals a fresh render', async () => {
    const url = `/courses/${course}`;
    let round = 0;
    const changes: [string, () => Promise<void>][] = [
      ['a mark', async () => {
        const res = await teacher.post(`${url}/cells`, { lessonId: lesson, studentId: students[0], value: round ? '8' : '9', ...(await versions(students[0])) });
        expect(res.statusCode).toBe(200);
      }],
      ['an absence', async () => {
        const res = await teacher.post(`${url}/cells`, { lessonId: lesson, studentId: students[1], value: round ? 'о' : 'н', ...(await versions(students[1])) });
        expect(res.statusCode).toBe(200);
      }],
      ['a new lesson', async () => {
        const res = await teacher.post(`${url}/lessons`, { date: TEST_TODAY, time: round ? '17:00' : '16:00', kind: 'seminar', topic: 'Кэш', groupId: '' });
        expect(res.statusCode).toBeLessThan(400);
      }],
    ];
    for (const group of [null, 'group']) {
      const groupId = (await t.store.get<{ id: number }>(sql`SELECT id FROM groups WHERE name = '1101'`))!.id;
      const page = group ? `${url}?group=${groupId}` : url;
      await teacher.get(page); // fills the cache
      expect(t.app.journalRows.size).toBeGreaterThanOrEqual(students.length);
      for (const [what, change] of changes) {
        await teacher.get(page);
        const before = t.app.journalRows.size;
        await change();
        await t.app.publisher.drain();
        expect(t.app.journalRows.size, what).toBeLessThan(before);
        const { served, fresh } = await servedAndFresh(t.app, page);
        expect(served, what).toBe(fresh);
      }
      round++;
    }
  });

  it('a whole page from the cache reads no records, and equals the page rendered without it', async () => {
    const url = `/courses/${course}`;
    await teacher.get(url);
    const s0 = t.store.stats.statements;
    const cached = await teacher.get(url);
    const cachedStatements = t.store.stats.statements - s0;
    t.app.journalRows.clear();
    const s1 = t.store.stats.statements;
    const fresh = await teacher.get(url);
    const freshStatements = t.store.stats.statements - s1;
    expect(normal(cached.body)).toBe(normal(fresh.body));
    // Fresh: attendance, marks, make-ups, excused periods, overrides of every student; cached: none of them.
    expect(cachedStatements).toBeLessThan(freshStatements);
  });

  it("another process's save reaches this process's cached row through the change stream", async () => {
    const store = await t.openAnother(); // the same database (SQLite file or PostgreSQL), another store
    const config = loadConfig({ DATA_DIR: t.dir, LOG_LEVEL: 'silent', SECRET: 'test-secret-test-secret-test-secret-0123' });
    const other = await buildApp({ store, config, clock: () => TEST_NOW, logger: false });
    await other.ready();
    try {
      const url = `/courses/${course}`;
      await teacher.get(url);
      const target = students[2];
      const cookie = Object.entries(teacher.cookies).map(([k, v]) => `${k}=${v}`).join('; ');
      const body = new URLSearchParams({ lessonId: String(lesson), studentId: String(target), value: '3', ...Object.fromEntries(
        Object.entries(await versions(target)).map(([k, v]) => [k, String(v)])) }).toString();
      const res = await other.inject({ method: 'POST', url: `${url}/cells`, payload: body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-csrf-token': teacher.csrf } });
      expect(res.statusCode).toBe(200);
      await t.app.publisher.drain(); // what the bell from the other process makes this one do
      const page = await teacher.get(url);
      expect(page.body).toMatch(new RegExp(`id="c-${lesson}-${target}"[^>]*>3<`));
      const { served, fresh } = await servedAndFresh(t.app, url);
      expect(served).toBe(fresh);
    } finally {
      await other.close();
      await store.close();
    }
  });
});
