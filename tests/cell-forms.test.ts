// Issue 14, item 4, through the real write path: what the grid shows is typed back and saved, and
// retyping what a cell shows writes nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp, type Agent } from './helpers/app';
import { courseOf } from './helpers/lookup';
import { TEST_TODAY } from './helpers/constants';

let t: TestApp;
let teacher: Agent;
let course: number;
let lesson: number;
let student: number;

const mark = (studentId: number) => t.store.get<{ value: number | null; version: number }>(sql`SELECT value, version FROM marks WHERE lesson_id = ${lesson} AND student_id = ${studentId}`);
const att = (studentId: number) => t.store.get<{ status: string | null; version: number }>(sql`SELECT status, version FROM attendance WHERE lesson_id = ${lesson} AND student_id = ${studentId}`);
const auditCount = async () => (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`))!.n;
const cell = async (value: string, studentId = student) =>
  teacher.post(`/courses/${course}/cells`, { lessonId: lesson, studentId, value, av: (await att(studentId))?.version ?? 0, mv: (await mark(studentId))?.version ?? 0 });

beforeAll(async () => {
  t = await makeTestApp();
  course = await courseOf(t.store, 'Human Anatomy', '1101');
  lesson = (await t.store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ${course}
    AND g.name = '1101' AND l.date = ${TEST_TODAY} AND l.cancelled = ${false} LIMIT 1`))!.id;
  student = await userId(t.store, 'student@demo.test');
  teacher = await loginAs(t.app, 'teacher@demo.test');
});
afterAll(async () => { await t.close(); });

describe('a status and a mark in one cell', () => {
  it('"о 5" saves late and 5, and the cell shows "о 5"', async () => {
    const res = await cell('о 5');
    expect(res.statusCode).toBe(200);
    expect((await att(student))?.status).toBe('late');
    expect((await mark(student))?.value).toBe(5);
    expect(res.body).toMatch(/>о 5</);
  });

  it('editing "о 5" to "о 6" changes the mark only', async () => {
    const a0 = (await att(student))!.version;
    expect((await cell('о 6')).statusCode).toBe(200);
    expect((await mark(student))?.value).toBe(6);
    expect((await att(student))!.version).toBe(a0);
  });

  it('retyping what the cell shows writes nothing', async () => {
    const before = await auditCount();
    expect((await cell('о 6')).statusCode).toBe(200);
    expect(await auditCount()).toBe(before);
  });

  it('the Latin forms work too: "n 8" is absent with 8, "l 5" late with 5', async () => {
    expect((await cell('n 8')).statusCode).toBe(200);
    expect([(await att(student))?.status, (await mark(student))?.value]).toEqual(['absent', 8]);
    expect((await cell('l 5')).statusCode).toBe(200);
    expect([(await att(student))?.status, (await mark(student))?.value]).toEqual(['late', 5]);
  });

  it('"о 11" is refused with the scale bounds and changes nothing', async () => {
    const before = [await att(student), await mark(student)];
    const res = await cell('о 11');
    expect(res.statusCode).toBe(422);
    expect([await att(student), await mark(student)]).toEqual(before);
  });
});
