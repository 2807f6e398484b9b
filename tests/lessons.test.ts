import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp, type Agent } from './helpers/app';
import { courseOf } from './helpers/lookup';
import { TEST_TODAY } from './helpers/constants';
import { verifyAuditChain } from '../db/queries/audit';

let t: TestApp;
let teacher: Agent;
let course: number;
let today: number;
let student: number;
const q = async <T>(query: SQL) => (await t.store.get<T>(query)) as T;

beforeAll(async () => {
  t = await makeTestApp();
  course = await courseOf(t.store, 'Human Anatomy', '1101');
  today = (await q<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ${course} AND g.name = '1101' AND l.date = ${TEST_TODAY}`)).id;
  student = await userId(t.store, 'student@demo.test');
  teacher = await loginAs(t.app, 'teacher@demo.test');
});
afterAll(async () => { await t.close(); });

describe('a lesson, as a teacher takes it', () => {
  it('lists the group with big status buttons; other teachers get 404', async () => {
    const res = await teacher.get(`/courses/${course}/lessons/${today}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`id="lr-${today}-${student}"`);
    expect(res.body).toContain('Все присутствуют');
    const other = await loginAs(t.app, 'teacher-parent@demo.test');
    expect((await other.get(`/courses/${course}/lessons/${today}`)).statusCode).toBe(404);
  });

  it('answers an htmx status button with the student row', async () => {
    const res = await teacher.post(`/courses/${course}/cells`, { lessonId: today, studentId: student, value: 'н', av: 0, mv: 0, view: 'list' }, { 'hx-request': 'true' });
    expect(res.statusCode).toBe(200);
    expect(res.body.startsWith(`<li class="lesson-row st-absent" id="lr-${today}-${student}"`)).toBe(true);
    const bad = await teacher.post(`/courses/${course}/cells`, { lessonId: today, studentId: student, value: '12', av: 1, mv: 0, view: 'list' }, { 'hx-request': 'true' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('role="alert"');
    expect(bad.body).toContain(`id="lr-${today}-${student}"`);
  });

  it('marks everyone else present in one go, with one audit row each', async () => {
    const before = (await q<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`)).n;
    const res = await teacher.post(`/courses/${course}/lessons/${today}/all-present`, {});
    expect(res.statusCode).toBe(303);
    const n = (await q<{ n: number }>(sql`SELECT count(*) AS n FROM attendance WHERE lesson_id = ${today} AND status = 'present'`)).n;
    expect(n).toBeGreaterThan(10);
    expect((await q<{ status: string }>(sql`SELECT status FROM attendance WHERE lesson_id = ${today} AND student_id = ${student}`)).status).toBe('absent');
    expect((await q<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`)).n).toBe(before + n);
    expect((await verifyAuditChain(t.store)).ok).toBe(true);
  });

  it('records an excuse that the dean approves, then a make-up; the cell history shows every step', async () => {
    const illness = (await q<{ id: number }>(sql`SELECT id FROM absence_reasons WHERE code = 'illness'`)).id;
    const av = async () => (await q<{ version: number }>(sql`SELECT version FROM attendance WHERE lesson_id = ${today} AND student_id = ${student}`)).version;
    expect((await teacher.post(`/courses/${course}/absences`, { lessonId: today, studentId: student, av: await av(), reasonId: illness, documentRef: 'справка №77', decision: 'proposed' })).statusCode).toBe(303);
    expect(await q<{ reason_status: string; reason_id: number }>(sql`SELECT reason_status, reason_id FROM attendance WHERE lesson_id = ${today} AND student_id = ${student}`)).toMatchObject({ reason_status: 'unknown', reason_id: illness });
    // A teacher cannot approve their own excuse.
    expect((await teacher.post(`/courses/${course}/absences`, { lessonId: today, studentId: student, av: await av(), reasonId: illness, decision: 'excused' })).statusCode).toBe(403);
    const dean = await loginAs(t.app, 'dean@demo.test');
    const pending = await dean.get('/absences/pending');
    expect(pending.body).toContain('справка №77');
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    expect((await fis.get('/absences/pending')).body).not.toContain('справка №77');
    expect((await dean.post(`/courses/${course}/absences`, { lessonId: today, studentId: student, av: await av(), reasonId: illness, documentRef: 'справка №77', decision: 'excused', back: '/absences/pending' })).headers.location).toBe('/absences/pending');
    expect((await q<{ reason_status: string }>(sql`SELECT reason_status FROM attendance WHERE lesson_id = ${today} AND student_id = ${student}`)).reason_status).toBe('excused');

    const page = await teacher.get(`/courses/${course}/lessons/${today}`);
    expect(page.body).toContain('нужно отработать');
    const bad = await teacher.post(`/courses/${course}/makeups`, { lessonId: today, studentId: student, kv: 0, decision: 'done', doneOn: TEST_TODAY, mark: '11' });
    expect(bad.statusCode).toBe(422);
    expect((await teacher.post(`/courses/${course}/makeups`, { lessonId: today, studentId: student, kv: 0, decision: 'done', doneOn: TEST_TODAY, mark: '8' })).statusCode).toBe(303);
    expect(await q<{ status: string; mark: number }>(sql`SELECT status, mark FROM makeups WHERE lesson_id = ${today} AND student_id = ${student}`)).toMatchObject({ status: 'done', mark: 8 });

    const history = await teacher.get(`/courses/${course}/cells/${today}/${student}/history`);
    expect(history.statusCode).toBe(200);
    // In words, with column headers: actions, fields, values, roles and names, never the codes or ids.
    for (const action of ['Отмечена посещаемость', 'Изменена посещаемость', 'Записана отработка']) expect(history.body).toContain(action);
    expect(history.body).toContain('Титов Игорь Александрович');
    expect(history.body).toMatch(/<thead><tr><th scope="col">Когда<\/th><th scope="col">Кто<\/th><th scope="col">Что<\/th>/);
    expect(history.body).toContain('причина: пока не указана → уважительная');
    expect(history.body).toMatch(/указанная причина: — → Болезнь/);
    for (const part of ['отработка: отработано', 'дата отработки: 24 нояб. 2026 г.', 'оценка: 8', 'преподаватель: Савицкий Андрей']) expect(history.body).toContain(part);
    expect(history.body).toContain('Администратор');
    expect(history.body).not.toMatch(/attendance\.(create|update)|makeup\.create|reasonStatus|reasonId|"unknown"|>admin</);
  });

  it('refuses excuses and make-ups for a student who was not at the lesson', async () => {
    const outsider = (await q<{ id: number }>(sql`SELECT m.student_id AS id FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE g.name = '1201' LIMIT 1`)).id;
    const illness = (await q<{ id: number }>(sql`SELECT id FROM absence_reasons WHERE code = 'illness'`)).id;
    const before = (await q<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`)).n;
    expect((await teacher.post(`/courses/${course}/absences`, { lessonId: today, studentId: outsider, av: 0, reasonId: illness, decision: 'proposed' })).statusCode).toBe(422);
    expect((await teacher.post(`/courses/${course}/makeups`, { lessonId: today, studentId: outsider, kv: 0, decision: 'waived', waiveReason: 'просто так' })).statusCode).toBe(422);
    expect((await q<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`)).n).toBe(before);
    expect((await q<{ n: number }>(sql`SELECT count(*) AS n FROM attendance WHERE lesson_id = ${today} AND student_id = ${outsider}`)).n).toBe(0);
  });

  it('adds a weekly series and refuses dates outside the term', async () => {
    const before = (await q<{ n: number }>(sql`SELECT count(*) AS n FROM lessons WHERE course_id = ${course}`)).n;
    const group = (await q<{ id: number }>(sql`SELECT id FROM groups WHERE name = '1101'`)).id;
    const res = await teacher.post(`/courses/${course}/lessons`, { date: '2026-12-01', time: '13:40', kind: 'seminar', topic: 'Обзор: кости и мышцы', groupId: group, until: '2026-12-22' });
    expect(res.statusCode).toBe(303);
    expect((await q<{ n: number }>(sql`SELECT count(*) AS n FROM lessons WHERE course_id = ${course}`)).n).toBe(before + 4);
    const created = await q<{ starts_at: number }>(sql`SELECT starts_at FROM lessons WHERE course_id = ${course} AND date = '2026-12-08' AND kind = 'seminar'`);
    expect(new Date(created.starts_at).toISOString()).toBe('2026-12-08T10:40:00.000Z'); // 13:40 in Minsk
    expect((await teacher.post(`/courses/${course}/lessons`, { date: '2027-05-01', time: '13:40', kind: 'seminar', topic: '', groupId: '' })).statusCode).toBe(422);
    expect((await teacher.post(`/courses/${course}/lessons`, { date: 'tomorrow', time: '25:00', kind: 'party', topic: '' })).statusCode).toBe(422);
  });

  it('cancels a lesson with a reason; a stale edit is refused', async () => {
    const lesson = await q<{ id: number; version: number }>(sql`SELECT id, version FROM lessons WHERE course_id = ${course} AND date > ${TEST_TODAY} ORDER BY date LIMIT 1`);
    expect((await teacher.post(`/courses/${course}/lessons/${lesson.id}/cancel`, { version: lesson.version, cancelled: '1', reason: '' })).statusCode).toBe(422);
    expect((await teacher.post(`/courses/${course}/lessons/${lesson.id}/cancel`, { version: lesson.version, cancelled: '1', reason: 'Праздничный день' })).statusCode).toBe(303);
    expect(Number((await q<{ cancelled: number | boolean }>(sql`SELECT cancelled FROM lessons WHERE id = ${lesson.id}`)).cancelled)).toBe(1);
    const stale = await teacher.post(`/courses/${course}/lessons/${lesson.id}`, { version: lesson.version, date: '2026-12-02', time: '09:45', kind: 'practical', topic: 'x', groupId: '' });
    expect(stale.statusCode).toBe(409);
  });

  it('lists pending make-ups for the course and the department, including the demo student’s debt', async () => {
    const mine = await teacher.get('/makeups');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Климович');
    const forCourse = await teacher.get(`/courses/${course}/makeups`);
    expect(forCourse.body).toContain('Климович');
    const parent = await loginAs(t.app, 'parent@demo.test');
    expect((await parent.get('/makeups')).statusCode).toBe(404);
    expect((await parent.get(`/courses/${course}/makeups`)).statusCode).toBe(404);
  });

  it('shows teachers their course list', async () => {
    const res = await teacher.get('/courses');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`/courses/${course}`);
    const student = await loginAs(t.app, 'student@demo.test');
    expect((await student.get('/courses')).statusCode).toBe(404);
  });
});
