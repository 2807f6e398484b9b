import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp, type Agent } from './helpers/app';
import { courseOf, groupIdOf, studentOfGroup } from './helpers/lookup';
import { TEST_TODAY } from './helpers/constants';
import { verifyAuditChain } from '../db/queries/audit';

let t: TestApp;
let teacher: Agent;
let course: number;
let todayLesson: number;
let pastLesson: number;
let futureLesson: number;
let student: number;

const lessonOn = async (courseId: number, groupName: string, cmp: '=' | '<') =>
  (await t.store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ${courseId} AND g.name = ${groupName} AND l.date ${sql.raw(cmp)} ${TEST_TODAY} AND l.cancelled = ${false} ORDER BY l.date DESC LIMIT 1`))!.id;
const mark = (lessonId: number, studentId: number) => t.store.get<{ value: number | null; version: number }>(sql`SELECT value, version FROM marks WHERE lesson_id = ${lessonId} AND student_id = ${studentId}`);
const att = (lessonId: number, studentId: number) => t.store.get<{ status: string | null; version: number }>(sql`SELECT status, version FROM attendance WHERE lesson_id = ${lessonId} AND student_id = ${studentId}`);
const auditCount = async () => (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`))!.n;
const cell = async (a: Agent, lessonId: number, studentId: number, value: string, extra: Record<string, string | number> = {}) =>
  a.post(`/courses/${course}/cells`, { lessonId, studentId, value, av: (await att(lessonId, studentId))?.version ?? 0, mv: (await mark(lessonId, studentId))?.version ?? 0, ...extra });

beforeAll(async () => {
  t = await makeTestApp();
  course = await courseOf(t.store, 'Human Anatomy', '1101');
  todayLesson = await lessonOn(course, '1101', '=');
  pastLesson = await lessonOn(course, '1101', '<');
  futureLesson = (await t.store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ${course} AND g.name = '1101' AND l.date > ${TEST_TODAY} ORDER BY l.date LIMIT 1`))!.id;
  student = await userId(t.store, 'student@demo.test');
  teacher = await loginAs(t.app, 'teacher@demo.test');
});
afterAll(async () => { await t.close(); });

describe('the journal page', () => {
  it('shows the grid to the course teacher: students, lessons, row ends', async () => {
    const res = await teacher.get(`/courses/${course}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Климович А. С.');
    expect(res.body).toContain(`id="c-${todayLesson}-${student}"`);
    expect(res.body).toContain(`id="r-${student}-adm"`);
    expect(res.body).toMatch(/data-editable="1"/);
  });

  it.each(['student@demo.test', 'parent@demo.test', 'teacher-parent@demo.test', 'dean-fis@demo.test'])('is not there (404) for %s', async (email) => {
    const a = await loginAs(t.app, email);
    expect((await a.get(`/courses/${course}`)).statusCode).toBe(404);
  });

  it('is read-only for the dean of the faculty', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const res = await dean.get(`/courses/${course}`);
    expect(res.statusCode).toBe(200);
  });
});

describe('writing a cell', () => {
  it('saves a mark on the lesson day with presence, version and a valid audit chain', async () => {
    const before = await auditCount();
    const res = await cell(teacher, todayLesson, student, '8');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`id="c-${todayLesson}-${student}"`);
    expect(await mark(todayLesson, student)).toMatchObject({ value: 8, version: 1 });
    expect(await att(todayLesson, student)).toMatchObject({ status: 'present' });
    expect(await auditCount()).toBe(before + 2);
    const last = (await t.store.get<Record<string, unknown>>(sql`SELECT * FROM audit_log WHERE action = 'mark.create' ORDER BY id DESC LIMIT 1`))!;
    expect(last).toMatchObject({ actor_id: await userId(t.store, 'teacher@demo.test'), student_id: student, course_id: course, lesson_id: todayLesson });
    expect(JSON.parse(last.after as string)).toMatchObject({ value: 8, version: 1 });
    expect((await verifyAuditChain(t.store)).ok).toBe(true);
  });

  it.each(['11', '0', '-1', '4.5', 'abc', 'x', 'нн'])('refuses %s with a message and changes nothing', async (value) => {
    const before = await auditCount();
    const m = await mark(todayLesson, student);
    const res = await cell(teacher, todayLesson, student, value);
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/role="alert"/);
    expect(await mark(todayLesson, student)).toEqual(m);
    expect(await auditCount()).toBe(before);
  });

  it('answers in Russian for a Russian-speaking teacher', async () => {
    const res = await cell(teacher, todayLesson, student, '11');
    expect(res.body).toContain('Оценка должна быть от 1 до 10');
  });

  it('takes Russian and Latin attendance codes, and Delete clears', async () => {
    const other = await studentOfGroup(t.store, '1101', 2);
    expect((await cell(teacher, todayLesson, other, 'н')).statusCode).toBe(200);
    expect((await att(todayLesson, other))?.status).toBe('absent');
    expect((await cell(teacher, todayLesson, other, 'l')).statusCode).toBe(200);
    expect((await att(todayLesson, other))?.status).toBe('late');
    expect((await cell(teacher, todayLesson, other, '7')).statusCode).toBe(200);
    expect((await cell(teacher, todayLesson, other, '')).statusCode).toBe(200);
    expect((await mark(todayLesson, other))?.value).toBeNull();
    expect((await att(todayLesson, other))?.status).toBe('late');
  });

  it('answers a stale version with 409, the current value and who set it; nothing is overwritten', async () => {
    const stale = (await mark(todayLesson, student))!.version;
    expect((await cell(teacher, todayLesson, student, '9')).statusCode).toBe(200);
    const res = await teacher.post(`/courses/${course}/cells`, { lessonId: todayLesson, studentId: student, value: '5', av: (await att(todayLesson, student))!.version, mv: stale });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Савицкий');
    expect(res.body).toMatch(new RegExp(`id="c-${todayLesson}-${student}"[^>]*>9<`));
    expect((await mark(todayLesson, student))?.value).toBe(9);
  });

  it('needs a reason after the lesson day, and records it', async () => {
    const res = await cell(teacher, pastLesson, student, '6');
    expect(res.statusCode).toBe(422);
    expect(res.headers['x-reason-required']).toBe('1');
    const ok = await cell(teacher, pastLesson, student, '6', { reason: 'Пересдача темы на консультации' });
    expect(ok.statusCode).toBe(200);
    const row = (await t.store.get<{ reason: string }>(sql`SELECT reason FROM audit_log WHERE lesson_id = ${pastLesson} AND student_id = ${student} AND entity = 'mark' ORDER BY id DESC LIMIT 1`))!;
    expect(row.reason).toBe('Пересдача темы на консультации');
  });

  it('refuses a lesson that has not happened yet', async () => {
    expect((await cell(teacher, futureLesson, student, '8')).statusCode).toBe(422);
    expect(await mark(futureLesson, student)).toBeUndefined();
  });

  it('refuses a lesson of another course and a student not in the lesson', async () => {
    const otherCourse = await courseOf(t.store, 'Histology', '1101');
    const foreignLesson = (await t.store.get<{ id: number }>(sql`SELECT id FROM lessons WHERE course_id = ${otherCourse} LIMIT 1`))!.id;
    const a = await cell(teacher, foreignLesson, student, '8');
    expect(a.statusCode).toBe(422);
    expect(a.body).toContain('не относится к данному курсу');
    const outsider = await studentOfGroup(t.store, '1201');
    const b = await cell(teacher, todayLesson, outsider, '8');
    expect(b.statusCode).toBe(422);
    expect(await mark(todayLesson, outsider)).toBeUndefined();
  });

  it.each(['student@demo.test', 'parent@demo.test', 'teacher-parent@demo.test', 'dean-fis@demo.test'])('is refused for %s, and nothing changes', async (email) => {
    const a = await loginAs(t.app, email);
    const before = await auditCount();
    const res = await cell(a, todayLesson, student, '2');
    expect([403, 404]).toContain(res.statusCode);
    expect((await mark(todayLesson, student))?.value).not.toBe(2);
    expect(await auditCount()).toBe(before);
  });

  it('lets the dean override only with a reason', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    expect((await cell(dean, todayLesson, student, '10')).statusCode).toBe(422);
    expect((await cell(dean, todayLesson, student, '10', { reason: 'Решение апелляционной комиссии' })).statusCode).toBe(200);
    expect((await mark(todayLesson, student))?.value).toBe(10);
  });

  it('is read-only for teachers once the term is locked', async () => {
    await t.store.run(sql`UPDATE terms SET locked_at = 1 WHERE id = (SELECT term_id FROM courses WHERE id = ${course})`);
    try {
      const res = await cell(teacher, todayLesson, student, '3');
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('Семестр закрыт');
      expect((await mark(todayLesson, student))?.value).not.toBe(3);
      expect((await teacher.get(`/courses/${course}`)).body).not.toContain('data-editable');
    } finally {
      await t.store.run(sql`UPDATE terms SET locked_at = NULL WHERE id = (SELECT term_id FROM courses WHERE id = ${course})`);
    }
  });

  it('refuses a request without the CSRF token', async () => {
    const res = await t.app.inject({
      method: 'POST', url: `/courses/${course}/cells`, payload: `lessonId=${todayLesson}&studentId=${student}&value=2&av=9&mv=9`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `zsession=${teacher.cookies.zsession}; zcsrf=${teacher.cookies.zcsrf}` },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('the journal\'s statement link', () => {
  it('leads to the group\'s latest statement document, or to the course\'s statements when none is open; other teachers get 404', async () => {
    const group = (await t.store.get<{ id: number }>(sql`SELECT id FROM groups WHERE name = '1101'`))!.id;
    const none = await teacher.get(`/courses/${course}/statement?group=${group}`);
    expect(none.statusCode).toBe(303);
    expect(none.headers.location).toBe(`/courses/${course}/statements`);
    const latest = await t.store.get<{ id: number }>(sql`SELECT id FROM statements WHERE course_id = ${course} AND group_id = ${await groupIdOf(t.store, '1102')}
      ORDER BY date DESC, id DESC LIMIT 1`);
    expect(latest, 'the demo has an open statement for 1102').toBeTruthy();
    const res = await teacher.get(`/courses/${course}/statement?group=${await groupIdOf(t.store, '1102')}`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/statements/${latest!.id}`);
    expect((await teacher.get(String(res.headers.location))).body).toContain('Экзаменационная ведомость');
    const other = await loginAs(t.app, 'teacher-parent@demo.test');
    expect((await other.get(`/courses/${course}/statement?group=${group}`)).statusCode).toBe(404);
  });
});
