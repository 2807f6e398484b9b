import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, type TestApp, type Agent } from './helpers/app';
import { countOf, courseOf } from './helpers/lookup';
import { TEST_TODAY } from './helpers/constants';
import { studentCourseProgress } from '../server/progress/student-progress';
import { currentTerm } from '../db/queries/terms';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

const count = (q: ReturnType<typeof sql>) => countOf(t.store, q);
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const follow = async (a: Agent, res: { statusCode: number; headers: Record<string, unknown>; body: string }) => {
  expect(res.statusCode, res.body.slice(0, 400)).toBe(303);
  return a.get(String(res.headers.location));
};

/** An absence without a reason and no make-up yet, written straight into the record (as a teacher would have taken it). */
async function absent(lessonId: number, studentId: number) {
  await t.store.tx(async (tx) => {
    await tx.run(sql`INSERT INTO attendance (lesson_id, student_id, status, reason_status) VALUES (${lessonId}, ${studentId}, 'absent', 'unexcused')
      ON CONFLICT (lesson_id, student_id) DO UPDATE SET status = 'absent', reason_status = 'unexcused', reason_id = NULL`);
    await tx.run(sql`DELETE FROM makeups WHERE lesson_id = ${lessonId} AND student_id = ${studentId}`);
  });
}

describe('a placement excuses exactly its period', () => {
  it('in the journal and in admission; shortening and cancelling move the excusal, audited, teachers notified', async () => {
    const studentId = (await t.store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = 'student@demo.test'`))!.id;
    const anat = await courseOf(t.store, 'Human Anatomy', '1101');
    const [outside, inside] = await t.store.all<{ id: number; date: string }>(sql`SELECT l.id, l.date FROM lessons l JOIN groups g ON g.name = '1101'
      WHERE l.course_id = ${anat} AND l.kind = 'practical' AND l.cancelled = ${false} AND l.date <= ${TEST_TODAY} AND (l.group_id IS NULL OR l.group_id = g.id)
      ORDER BY l.date DESC LIMIT 2`);
    expect(inside!.date < outside!.date).toBe(true);
    await absent(inside!.id, studentId);
    await absent(outside!.id, studentId);
    const termId = (await currentTerm(t.store, TEST_TODAY))!.id;
    const anatomy = async () => (await studentCourseProgress(t.store, studentId, termId, TEST_TODAY)).find((c) => c.courseId === anat)!;
    const before = await anatomy();

    // The call, the application and the selection.
    const admin = await loginAs(t.app, 'admin@demo.test');
    const partner = (await t.store.get<{ id: number }>(sql`SELECT min(id) AS id FROM mobility_partners`))!.id;
    const from = addDays(inside!.date, -2);
    const to = addDays(outside!.date, -1);
    expect((await admin.post('/admin/mobility/calls', { partnerId: partner, fromDate: from, toDate: to, deadline: addDays(from, -1), programme: 'degree', year: 1, places_1: 1,
      w_average: 10, w_ratings: 5, w_unexcusedAbsence: 1, w_openDebt: 5, w_activity: 1, w_achievements: 1, w_maxOpenDebts: '' })).statusCode).toBe(303);
    const callId = (await t.store.get<{ id: number }>(sql`SELECT max(id) AS id FROM mobility_calls`))!.id;
    const appId = await t.store.tx(async (tx) => (await tx.get<{ id: number }>(sql`INSERT INTO mobility_applications (call_id, student_id, faculty_id, motivation, applied_at)
      VALUES (${callId}, ${studentId}, 1, 'Клиническая практика', 0) RETURNING id`))!.id);
    const dean = await loginAs(t.app, 'dean@demo.test');
    const placeForm = { fromDate: from, toDate: to, orderNumber: '512-с' };
    expect((await dean.post(`/admin/mobility/applications/${appId}/placement`, placeForm)).statusCode).toBe(409); // not selected yet
    await follow(dean, await dean.post(`/admin/mobility/applications/${appId}/decision`, { decision: 'selected', reason: 'Лучший результат' }));
    expect((await dean.post(`/admin/mobility/applications/${appId}/placement`, { ...placeForm, toDate: addDays(from, -1) })).statusCode).toBe(422);
    expect((await (await loginAs(t.app, 'dean-fis@demo.test')).post(`/admin/mobility/applications/${appId}/placement`, placeForm)).statusCode).toBe(404);
    const placed = await follow(dean, await dean.post(`/admin/mobility/applications/${appId}/placement`, placeForm));
    expect(placed.body).toContain('Стажировка оформлена');
    expect((await dean.post(`/admin/mobility/applications/${appId}/placement`, placeForm)).statusCode).toBe(409); // once

    // Admission: the absence inside the period is excused and owes no make-up; the one outside is unchanged.
    const after = await anatomy();
    expect(after.absences.excused).toBe(before.absences.excused + 1);
    expect(after.absences.unexcused).toBe(before.absences.unexcused - 1);
    expect(after.absences.absent).toBe(before.absences.absent);
    expect(after.pendingMakeups).toBe(before.pendingMakeups - 1);
    // The journal: the lesson inside shows mobility, the one outside an absence.
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    const journal = (await teacher.get(`/courses/${anat}`)).body;
    expect(journal).toMatch(new RegExp(`<td id="c-${inside!.id}-${studentId}" class="c exc mob"[^>]*>АМ</td>`));
    expect(journal).toMatch(new RegExp(`<td id="c-${outside!.id}-${studentId}" class="c abs"[^>]*>н</td>`));
    // Teachers of the covered courses were told, the Anatomy teacher among them.
    expect(await count(sql`SELECT count(*) AS n FROM notifications WHERE kind = 'mobility' AND course_id = ${anat}
      AND user_id = (SELECT id FROM users WHERE email = 'teacher@demo.test')`)).toBe(1);
    expect((await teacher.get('/notifications')).body).toContain('стажировка в Первый МГМУ');
    // The student's and a parent's pages show it.
    const student = await loginAs(t.app, 'student@demo.test');
    expect((await student.get('/mobility')).body).toContain('приказ 512-с');
    const parent = await loginAs(t.app, 'parent@demo.test');
    expect((await parent.get(`/students/${studentId}`)).body).toContain('приказ 512-с');

    // Shortened past the lesson inside: it is an absence again. Lengthening is refused.
    const placement = (await t.store.get<{ id: number }>(sql`SELECT id FROM mobility_placements WHERE application_id = ${appId}`))!.id;
    expect((await dean.post(`/admin/mobility/placements/${placement}`, { action: 'shorten', fromDate: from, toDate: outside!.date, reason: 'длиннее' })).statusCode).toBe(422);
    expect((await dean.post(`/admin/mobility/placements/${placement}`, { action: 'shorten', fromDate: addDays(inside!.date, 1), toDate: to, reason: '' })).statusCode).toBe(422);
    await follow(dean, await dean.post(`/admin/mobility/placements/${placement}`, { action: 'shorten', fromDate: addDays(inside!.date, 1), toDate: to, reason: 'Вернулся раньше' }));
    const shortened = await anatomy();
    expect(shortened.absences.unexcused).toBe(before.absences.unexcused);
    expect(shortened.pendingMakeups).toBe(before.pendingMakeups);
    expect((await teacher.get(`/courses/${anat}`)).body).toMatch(new RegExp(`<td id="c-${inside!.id}-${studentId}" class="c abs"`));
    // Cancelled: no excused period is left of it.
    await follow(dean, await dean.post(`/admin/mobility/placements/${placement}`, { action: 'cancel', reason: 'Отмена приказа' }));
    expect(await count(sql`SELECT count(*) AS n FROM excused_periods WHERE document_ref = '512-с'`)).toBe(0);
    expect((await dean.post(`/admin/mobility/placements/${placement}`, { action: 'cancel', reason: 'Ещё раз' })).statusCode).toBe(409);
    const actions = await t.store.all<{ action: string; reason: string }>(sql`SELECT action, reason FROM audit_log WHERE entity = 'excused_period' ORDER BY id`);
    expect(actions.map((a) => a.action)).toEqual(['excused_period.create', 'excused_period.shorten', 'excused_period.cancel']);
    expect(actions.map((a) => a.reason)).toEqual(['512-с', 'Вернулся раньше', 'Отмена приказа']);
    expect((await student.get('/mobility')).body).toContain('отменена');
  });
});
