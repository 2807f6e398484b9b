import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp } from './helpers/app';
import { courseOf } from './helpers/lookup';
import { TEST_TODAY, TEST_NOW } from './helpers/constants';

// One vocabulary per scale: a pass/fail mark is "зачтено" on every page that speaks of it, never "оценка 1".
let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t?.close(); });

describe('a pass/fail mark in words everywhere', () => {
  it('the card, the timeline, "what changed", the notification and the cell history all say зачтено', async () => {
    const latin = await courseOf(t.store, 'Latin', '1101');
    const student = await userId(t.store, 'student@demo.test');
    const teacherEmail = (await t.store.get<{ email: string }>(sql`SELECT u.email FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id WHERE ct.course_id = ${latin} LIMIT 1`))!.email;
    const lesson = (await t.store.get<{ id: number }>(sql`SELECT l.id FROM lessons l LEFT JOIN marks m ON m.lesson_id = l.id AND m.student_id = ${student}
      WHERE l.course_id = ${latin} AND l.date <= ${TEST_TODAY} AND l.cancelled = ${false} AND m.id IS NULL ORDER BY l.date DESC LIMIT 1`))!.id;
    const av = (await t.store.get<{ version: number }>(sql`SELECT version FROM attendance WHERE lesson_id = ${lesson} AND student_id = ${student}`))?.version ?? 0;
    const me = await loginAs(t.app, 'student@demo.test'); // her last visit: now; the mark comes a minute later
    t.setNow(TEST_NOW + 60_000);
    const teacher = await loginAs(t.app, teacherEmail);
    const res = await teacher.post(`/courses/${latin}/cells`, { lessonId: lesson, studentId: student, value: 'зч', av, mv: 0, reason: 'проверка' });
    expect(res.statusCode).toBeLessThan(400);
    expect(await t.store.get<{ value: number }>(sql`SELECT value FROM marks WHERE lesson_id = ${lesson} AND student_id = ${student}`)).toMatchObject({ value: 1 });

    const home = (await me.get('/')).body;
    expect(home).toMatch(/Латинский язык, [^—]+— <b>оценка зачтено<\/b>/);
    expect(home).not.toContain('<b>оценка 1</b>');
    const notices = (await me.get('/notifications')).body;
    expect(notices).toMatch(/Латинский язык, [^:]+: оценка зачтено/);
    expect(notices).not.toMatch(/Латинский язык, [^:]+: оценка 1</);
    const page = (await me.get(`/students/${student}/courses/${latin}`)).body;
    expect(page).toContain('Оценка: <b>зачтено</b>');
    expect(page).not.toMatch(/<b>(зч|нз)<\/b>/);
    expect(page).not.toMatch(/отработано \d/);
    const history = (await teacher.get(`/courses/${latin}/cells/${lesson}/${student}/history`)).body;
    expect(history).toContain('оценка: зачтено');
  });
});
