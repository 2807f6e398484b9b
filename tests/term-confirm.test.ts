// Issue 14, item 14: locking a term (a university-wide action) first says what it touches, and acts only
// when confirmed there; a correction request shows the value it would replace.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, type TestApp, type Agent } from './helpers/app';

let t: TestApp;
let admin: Agent;
let term: number;
const locked = async () => (await t.store.get<{ l: number | null }>(sql`SELECT locked_at AS l FROM terms WHERE id = ${term}`))!.l;

beforeAll(async () => {
  t = await makeTestApp();
  admin = await loginAs(t.app, 'admin@demo.test');
  term = (await t.store.get<{ id: number }>(sql`SELECT term_id AS id FROM courses GROUP BY term_id ORDER BY count(*) DESC LIMIT 1`))!.id;
});
afterAll(async () => { await t.close(); });

describe('locking a term', () => {
  it('the terms page leads to a confirmation that counts the courses, teachers and students it touches', async () => {
    const page = await admin.get('/admin/terms');
    expect(page.body).toContain(`href="/admin/terms/${term}/lock"`);
    expect(page.body).not.toMatch(new RegExp(`action="/admin/terms/${term}/lock"`));
    const want = (await t.store.get<{ courses: number; teachers: number }>(sql`SELECT count(DISTINCT c.id) AS courses, count(DISTINCT ct.teacher_id) AS teachers
      FROM courses c LEFT JOIN course_teachers ct ON ct.course_id = c.id WHERE c.term_id = ${term}`))!;
    const ask = await admin.get(`/admin/terms/${term}/lock`);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain(`в курсах: ${want.courses}, преподавателей: ${want.teachers}, студентов:`);
    expect(ask.body).toContain(`Закрыть семестр для курсов: ${want.courses}`);
    expect(locked()).resolves.toBeNull();
  });

  it('a post without the confirmation goes to the confirmation and locks nothing', async () => {
    const res = await admin.post(`/admin/terms/${term}/lock`, { reason: 'Сессия' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/terms/${term}/lock`);
    expect(await locked()).toBeNull();
  });

  it('confirmed with a reason, it locks; a dean may not even see the confirmation', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    expect((await dean.get(`/admin/terms/${term}/lock`)).statusCode).toBe(403);
    expect((await admin.post(`/admin/terms/${term}/lock`, { reason: '', confirm: '1' })).statusCode).toBe(422);
    const res = await admin.post(`/admin/terms/${term}/lock`, { reason: 'Экзаменационная сессия', confirm: '1' });
    expect(res.statusCode).toBe(303);
    expect(await locked()).not.toBeNull();
    await admin.post('/lang', { lang: 'en', back: '/' });
    expect((await admin.get(`/admin/terms/${term}/unlock`)).body).toMatch(/Unlocking opens \d+ courses of \d+ teachers/);
    await admin.post('/lang', { lang: 'ru', back: '/' });
  });

  it('a correction request shows the value it would replace', async () => {
    const row = (await t.store.get<{ lessonId: number; studentId: number; value: number; courseId: number }>(sql`SELECT m.lesson_id AS "lessonId", m.student_id AS "studentId", m.value, l.course_id AS "courseId"
      FROM marks m JOIN lessons l ON l.id = m.lesson_id JOIN courses c ON c.id = l.course_id WHERE c.term_id = ${term} AND m.value IS NOT NULL AND m.value < 10 LIMIT 1`))!;
    const teacher = (await t.store.get<{ email: string }>(sql`SELECT u.email FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id WHERE ct.course_id = ${row.courseId} LIMIT 1`))!;
    const tAgent = await loginAs(t.app, teacher.email);
    const asked = await tAgent.post(`/courses/${row.courseId}/corrections`, { lessonId: row.lessonId, studentId: row.studentId, field: 'mark', newValue: String(row.value + 1), reason: 'Ошибка ввода' });
    expect(asked.statusCode).toBe(303);
    const page = await admin.get('/admin/corrections');
    expect(page.body).toMatch(new RegExp(`сейчас <b>(\\S+ )?${row.value}</b></span> → <b>${row.value + 1}</b>`));
  });
});
