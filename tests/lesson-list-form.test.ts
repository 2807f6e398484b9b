// Issue 14, item 14: an old lesson's list asks for one reason per student (one form: status buttons,
// mark field, reason); a status button writes the status, Save writes the mark.
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
const att = () => t.store.get<{ status: string | null; version: number }>(sql`SELECT status, version FROM attendance WHERE lesson_id = ${lesson} AND student_id = ${student}`);
const mark = () => t.store.get<{ value: number | null; version: number }>(sql`SELECT value, version FROM marks WHERE lesson_id = ${lesson} AND student_id = ${student}`);

beforeAll(async () => {
  t = await makeTestApp();
  course = await courseOf(t.store, 'Human Anatomy', '1101');
  lesson = (await t.store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ${course}
    AND g.name = '1101' AND l.date < ${TEST_TODAY} AND l.cancelled = ${false} ORDER BY l.date DESC LIMIT 1`))!.id;
  student = await userId(t.store, 'student@demo.test');
  teacher = await loginAs(t.app, 'teacher@demo.test');
});
afterAll(async () => { await t.close(); });

describe('the lesson list of an old lesson', () => {
  it('has one reason box per student', async () => {
    const page = await teacher.get(`/courses/${course}/lessons/${lesson}`);
    const rows = page.body.split('<li class="lesson-row').slice(1);
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) expect(row.split('</li>')[0]!.match(/name="reason"/g)?.length ?? 0).toBe(1);
  });

  it('Save writes the mark; a status button writes the status and leaves the mark', async () => {
    const base = async () => ({ lessonId: lesson, studentId: student, av: (await att())?.version ?? 0, mv: (await mark())?.version ?? 0, view: 'list', reason: 'Внесено позже' });
    const saved = await teacher.post(`/courses/${course}/cells`, { ...(await base()), value: '', mark: '7' });
    expect(saved.statusCode).toBe(303);
    expect((await mark())?.value).toBe(7);
    const late = await teacher.post(`/courses/${course}/cells`, { ...(await base()), value: 'о', mark: '3' });
    expect(late.statusCode).toBe(303);
    expect((await att())?.status).toBe('late');
    expect((await mark())?.value).toBe(7);
    // Without the reason an old lesson's change is refused, and nothing changes.
    const { reason: _r, ...noReason } = await base();
    expect((await teacher.post(`/courses/${course}/cells`, { ...noReason, value: '', mark: '9' })).statusCode).toBe(422);
    expect((await mark())?.value).toBe(7);
  });
});
