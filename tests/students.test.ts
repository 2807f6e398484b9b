import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql, type SQLWrapper } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp } from './helpers/app';
import { courseOf, studentOfGroup, linkedChild } from './helpers/lookup';
import { TEST_TODAY } from './helpers/constants';

let t: TestApp;
let student: number;
let anatomy: number;
const q = async <T>(query: SQLWrapper) => (await t.store.get<T>(query)) as T;

beforeAll(async () => {
  t = await makeTestApp();
  student = await userId(t.store, 'student@demo.test');
  anatomy = await courseOf(t.store, 'Human Anatomy', '1101');
});
afterAll(async () => { await t.close(); });

describe("a student's record", () => {
  it('shows the student her courses, admission reasons, the chart and the calendar', async () => {
    const a = await loginAs(t.app, 'student@demo.test');
    const home = await a.get(`/students/${student}`);
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain(`id="course-tile-${student}-${anatomy}"`);
    expect(home.body).toMatch(/не отработано: \d+ заняти(е|я|й)/);
    const course = await a.get(`/students/${student}/courses/${anatomy}`);
    expect(course.statusCode).toBe(200);
    expect(course.body).toContain('<svg class="chart"');
    expect(course.body).toContain('<svg class="calendar"');
    expect(course.body).toContain('Чтобы получить допуск к экзамену');
  });

  it('is not there for a classmate, another family, or a course the student does not attend', async () => {
    const classmate = await studentOfGroup(t.store, '1101');
    const a = await loginAs(t.app, 'student@demo.test');
    expect((await a.get(`/students/${classmate}`)).statusCode).toBe(404);
    expect((await a.get(`/students/${classmate}/courses/${anatomy}`)).statusCode).toBe(404);
    expect((await a.get(`/students/${student}/courses/${await courseOf(t.store, 'Human Anatomy', 'E101')}`)).statusCode).toBe(404);
    const parent = await loginAs(t.app, 'parent@demo.test');
    expect((await parent.get(`/students/${classmate}`)).statusCode).toBe(404);
    expect((await parent.get(`/students/${await linkedChild(t.store, 'teacher-parent@demo.test')}`)).statusCode).toBe(404);
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    expect((await teacher.get(`/students/${student}`)).statusCode).toBe(404);
  });

  it('gives an attendance-only guardian attendance and never a mark, by any URL', async () => {
    const son = await linkedChild(t.store, 'teacher-parent@demo.test');
    const a = await loginAs(t.app, 'teacher-parent@demo.test');
    const overview = await a.get(`/students/${son}`);
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain('только к посещаемости');
    const course = (await q<{ id: number }>(sql`SELECT c.id FROM courses c JOIN course_groups cg ON cg.course_id = c.id JOIN groups g ON g.id = cg.group_id
      JOIN subjects s ON s.id = c.subject_id WHERE g.name = '1202' AND s.code = 'PHYS'`)).id;
    const page = await a.get(`/students/${son}/courses/${course}`);
    expect(page.statusCode).toBe(200);
    const marks = await t.store.all<{ value: number }>(sql`SELECT k.value FROM marks k JOIN lessons l ON l.id = k.lesson_id WHERE k.student_id = ${son} AND l.course_id = ${course}`);
    expect(marks.length).toBeGreaterThan(0);
    for (const body of [overview.body, page.body]) {
      expect(body).not.toMatch(/Рейтинг|Оценка:|class="chart"|последняя оценка/);
    }
    expect(page.body).not.toMatch(/Оценка: <b>/);
  });

  it('logs every view by a guardian or an admin, not by the student herself', async () => {
    // Views are written in batches (server/plugins/visit-log.ts): flushed here, as the timer would within a second.
    const views = async () => {
      await t.app.visits.flush();
      return (await q<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'student.view' AND student_id = ${student}`)).n;
    };
    const before = await views();
    await (await loginAs(t.app, 'student@demo.test')).get(`/students/${student}`);
    expect(await views()).toBe(before);
    await (await loginAs(t.app, 'parent@demo.test')).get(`/students/${student}`);
    await (await loginAs(t.app, 'dean@demo.test')).get(`/students/${student}/courses/${anatomy}`);
    expect(await views()).toBe(before + 2);
    const last = await q<{ actor_role: string }>(sql`SELECT actor_role FROM audit_log WHERE action = 'student.view' ORDER BY id DESC LIMIT 1`);
    expect(last.actor_role).toBe('admin');
  });

  it('stops a guardian at once when the link is revoked', async () => {
    const parent = await loginAs(t.app, 'parent@demo.test');
    expect((await parent.get(`/students/${student}`)).statusCode).toBe(200);
    const parentId = await userId(t.store, 'parent@demo.test');
    await t.store.run(sql`UPDATE guardian_links SET revoked_at = 1 WHERE student_id = ${student} AND guardian_id = ${parentId}`);
    try {
      expect((await parent.get(`/students/${student}`)).statusCode).toBe(404);
      expect((await parent.get('/')).body).not.toContain(`id="child-${student}"`);
    } finally {
      await t.store.run(sql`UPDATE guardian_links SET revoked_at = NULL WHERE student_id = ${student} AND guardian_id = ${parentId}`);
    }
  });

  it('tells what changed since the last visit', async () => {
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    const a = await loginAs(t.app, 'student@demo.test');
    await a.get('/'); // this visit becomes "the last visit"
    const lesson = (await q<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ${anatomy} AND g.name = '1101' AND l.date = ${TEST_TODAY}`)).id;
    t.setNow(Date.parse(`${TEST_TODAY}T10:00:00Z`));
    await teacher.post(`/courses/${anatomy}/cells`, { lessonId: lesson, studentId: student, value: '9', av: 0, mv: 0 });
    t.setNow(Date.parse(`${TEST_TODAY}T10:05:00Z`));
    const home = await a.get('/');
    expect(home.body).toMatch(/Что изменилось с прошлого визита[\s\S]*оценка 9/);
    expect((await a.get('/')).body).toContain('С прошлого визита ничего нового');
  });
});
