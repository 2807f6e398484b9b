// The statement's path through the app (issue 16, item 2): opened by the dean's office, typed by the
// examiner, signed, counter-signed; after signing only a correction the dean approves changes it; debts
// follow the results, and a retake from the second one needs a commission of three.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp, type Agent } from './helpers/app';
import { courseOf, groupIdOf } from './helpers/lookup';
import { verifyAuditChain } from '../db/queries/audit';
import { claimOpenStatement, closeStatement } from '../db/queries/statements';

let t: TestApp;
const q = async <T>(query: SQL) => (await t.store.get<T>(query)) as T;
const all = <T>(query: SQL) => t.store.all<T>(query);
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

async function openFor(dean: Agent, course: number, group: number, examiner: number, date = '2026-12-20'): Promise<number> {
  const res = await dean.post(`/courses/${course}/statements`, { groupId: group, kind: 'exam', date, examiner1: examiner });
  expect(res.statusCode, res.body.slice(0, 400)).toBe(303);
  return Number(/\/statements\/(\d+)/.exec(String(res.headers.location))![1]);
}
const rows = (id: number) => all<{ studentId: number; outcome: string | null; mark: number | null; version: number; finalMark: number | null }>(sql`SELECT student_id AS "studentId",
  outcome, mark, version, final_mark AS "finalMark" FROM statement_results WHERE statement_id = ${id} ORDER BY student_id`);

describe('an exam statement from opening to counter-signature', () => {
  it('is opened by the dean, typed and signed by the examiner, counter-signed, then changed only by an approved correction', async () => {
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const group = await groupIdOf(t.store, '1101');
    const teacherId = await userId(t.store, 'teacher@demo.test');
    const dean = await loginAs(t.app, 'dean@demo.test');
    const teacher = await loginAs(t.app, 'teacher@demo.test');

    // Neither the examiner-to-be nor another faculty's dean opens one.
    expect((await teacher.post(`/courses/${course}/statements`, { groupId: group, kind: 'exam', date: '2026-12-20', examiner1: teacherId })).statusCode).toBe(403);
    expect((await (await loginAs(t.app, 'dean-fis@demo.test')).post(`/courses/${course}/statements`, { groupId: group, kind: 'exam', date: '2026-12-20', examiner1: teacherId })).statusCode).toBe(404);
    expect((await dean.post(`/courses/${course}/statements`, { groupId: group, kind: 'exam', date: '2026-12-20', examiner1: '' })).statusCode).toBe(422);

    const id = await openFor(dean, course, group, teacherId);
    const page = await teacher.get(`/statements/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Экзаменационная ведомость');
    const before = await rows(id);
    expect(before.length).toBeGreaterThan(3);
    // Not admitted comes from the journal; nobody else is pre-filled.
    const notAdmitted = before.filter((r) => r.outcome === 'not_admitted');
    const toEnter = before.filter((r) => r.outcome === null);
    expect(toEnter.length).toBeGreaterThan(2);

    // A second statement for the same students is refused while this one is open.
    expect((await dean.post(`/courses/${course}/statements`, { groupId: group, kind: 'exam', date: '2026-12-21', examiner1: teacherId })).statusCode).toBe(422);

    // The examiner cannot sign an incomplete statement; a bad mark changes nothing.
    expect((await teacher.post(`/statements/${id}/close`, { version: 1 })).statusCode).toBe(422);
    const [a, b, c, ...rest] = toEnter;
    const bad = await teacher.post(`/statements/${id}/results`, { [`r${a.studentId}`]: '11', [`v${a.studentId}`]: a.version }, { 'hx-request': 'true' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain(`id="sr-${a.studentId}"`);
    expect((await rows(id)).find((r) => r.studentId === a.studentId)!.outcome).toBeNull();

    // One row as the keyboard script sends it, then the rest with the form.
    const one = await teacher.post(`/statements/${id}/results`, { [`r${a.studentId}`]: '8', [`v${a.studentId}`]: a.version }, { 'hx-request': 'true' });
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain(`name="r${a.studentId}" value="8"`);
    // A stale version is a conflict.
    expect((await teacher.post(`/statements/${id}/results`, { [`r${a.studentId}`]: '9', [`v${a.studentId}`]: a.version })).statusCode).toBe(409);
    const form: Record<string, string | number> = { [`r${b.studentId}`]: '3', [`v${b.studentId}`]: b.version, [`r${c.studentId}`]: 'н', [`v${c.studentId}`]: c.version };
    for (const r of rest) Object.assign(form, { [`r${r.studentId}`]: 'н/у', [`v${r.studentId}`]: r.version });
    expect((await teacher.post(`/statements/${id}/results`, form)).statusCode).toBe(303);
    const typed = await rows(id);
    expect(typed.find((r) => r.studentId === a.studentId)).toMatchObject({ outcome: 'mark', mark: 8 });
    expect(typed.find((r) => r.studentId === a.studentId)!.finalMark).not.toBeNull();
    expect(typed.find((r) => r.studentId === b.studentId)).toMatchObject({ outcome: 'mark', mark: 3, finalMark: 3 });

    // Only the examiner signs; then the dean counter-signs; the form cannot type any more.
    expect((await dean.post(`/statements/${id}/close`, { version: 1 })).statusCode).toBe(403);
    const version = (await q<{ version: number }>(sql`SELECT version FROM statements WHERE id = ${id}`)).version;
    expect((await dean.post(`/statements/${id}/countersign`, { version })).statusCode).toBe(422);
    expect((await teacher.post(`/statements/${id}/close`, { version })).statusCode).toBe(303);
    expect((await q<{ status: string }>(sql`SELECT status FROM statements WHERE id = ${id}`)).status).toBe('closed');
    expect((await teacher.post(`/statements/${id}/results`, { [`r${b.studentId}`]: '5', [`v${b.studentId}`]: 2 })).statusCode).toBe(409);
    expect((await teacher.post(`/statements/${id}/countersign`, {})).statusCode).toBe(403);
    expect((await dean.post(`/statements/${id}/countersign`, {})).statusCode).toBe(303);
    expect((await q<{ status: string }>(sql`SELECT status FROM statements WHERE id = ${id}`)).status).toBe('countersigned');

    // Debts: the 3 and the unexcused no-show owe the course (and the not admitted); the excused and the 8 do not.
    const debts = await all<{ studentId: number }>(sql`SELECT student_id AS "studentId" FROM academic_debts WHERE statement_id = ${id} AND cleared_at IS NULL`);
    expect(debts.map((d) => d.studentId).sort()).toEqual([b.studentId, c.studentId, ...notAdmitted.map((r) => r.studentId)].sort());

    // A correction: asked by the examiner, approved by the dean: the 3 becomes a 5 and its debt is cleared.
    expect((await teacher.post(`/statements/${id}/corrections`, { studentId: b.studentId, newValue: '11', reason: 'ошибка ввода' })).statusCode).toBe(422);
    expect((await teacher.post(`/statements/${id}/corrections`, { studentId: b.studentId, newValue: '5', reason: 'ошибка ввода' })).statusCode).toBe(303);
    const corr = (await q<{ id: number }>(sql`SELECT id FROM statement_corrections WHERE statement_id = ${id}`)).id;
    expect((await teacher.post(`/statement-corrections/${corr}`, { decision: 'approve', note: 'сам себе' })).statusCode).toBe(404);
    expect((await dean.post(`/statement-corrections/${corr}`, { decision: 'approve', note: 'подтверждено' })).statusCode).toBe(303);
    expect((await rows(id)).find((r) => r.studentId === b.studentId)).toMatchObject({ outcome: 'mark', mark: 5 });
    expect(await q<{ n: number }>(sql`SELECT count(*) AS n FROM academic_debts WHERE statement_id = ${id} AND student_id = ${b.studentId} AND cleared_at IS NULL`)).toEqual({ n: 0 });
    expect((await dean.post(`/statement-corrections/${corr}`, { decision: 'approve', note: 'ещё раз' })).statusCode).toBe(409);

    const actions = await all<{ action: string }>(sql`SELECT DISTINCT action FROM audit_log WHERE entity IN ('statement', 'statement_result', 'statement_correction', 'academic_debt')`);
    expect(actions.map((x) => x.action).sort()).toEqual(expect.arrayContaining(['academic_debt.clear', 'academic_debt.create', 'statement.close', 'statement.countersign', 'statement.open',
      'statement_correction.approve', 'statement_correction.request', 'statement_result.update']));
    expect((await verifyAuditChain(t.store)).ok).toBe(true);

    // Retakes: the first to the examiner; the unexcused no-show again, then the second retake needs three.
    const retake = await dean.post(`/courses/${course}/retakes`, { studentId: c.studentId, kind: 'exam', date: '2027-01-10', examiner1: teacherId });
    expect(retake.statusCode, retake.body.slice(0, 300)).toBe(303);
    const r1 = Number(/\/statements\/(\d+)/.exec(String(retake.headers.location))![1]);
    expect((await q<{ attempt: number; groupId: number | null }>(sql`SELECT attempt, group_id AS "groupId" FROM statements WHERE id = ${r1}`))).toEqual({ attempt: 2, groupId: null });
    const [r1row] = await rows(r1);
    expect((await teacher.post(`/statements/${r1}/results`, { [`r${c.studentId}`]: '2', [`v${c.studentId}`]: r1row.version })).statusCode).toBe(303);
    const v1 = (await q<{ version: number }>(sql`SELECT version FROM statements WHERE id = ${r1}`)).version;
    expect((await teacher.post(`/statements/${r1}/close`, { version: v1 })).statusCode).toBe(303);
    expect((await all(sql`SELECT id FROM academic_debts WHERE student_id = ${c.studentId} AND course_id = ${course} AND cleared_at IS NULL`)).length).toBe(1);
    const solo = await dean.post(`/courses/${course}/retakes`, { studentId: c.studentId, kind: 'exam', date: '2027-01-20', examiner1: teacherId });
    expect(solo.statusCode).toBe(422);
    expect(solo.body).toContain('комиссия из трёх');
    const others = await all<{ id: number }>(sql`SELECT DISTINCT u.id FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'teacher'
      WHERE r.department_id = (SELECT sb.department_id FROM courses c JOIN subjects sb ON sb.id = c.subject_id WHERE c.id = ${course}) AND u.id <> ${teacherId} ORDER BY u.id LIMIT 2`);
    expect(others.length).toBe(2);
    const board = await dean.post(`/courses/${course}/retakes`, { studentId: c.studentId, kind: 'exam', date: '2027-01-20', examiner1: teacherId, examiner2: others[0].id, examiner3: others[1].id });
    expect(board.statusCode, board.body.slice(0, 300)).toBe(303);
    const r2 = Number(/\/statements\/(\d+)/.exec(String(board.headers.location))![1]);
    expect((await q<{ attempt: number }>(sql`SELECT attempt FROM statements WHERE id = ${r2}`)).attempt).toBe(3);
    const member = await loginAs(t.app, (await q<{ email: string }>(sql`SELECT email FROM users WHERE id = ${others[0].id}`)).email);
    const [r2row] = await rows(r2);
    expect((await member.post(`/statements/${r2}/results`, { [`r${c.studentId}`]: '6', [`v${c.studentId}`]: r2row.version })).statusCode).toBe(303);
    const v2 = (await q<{ version: number }>(sql`SELECT version FROM statements WHERE id = ${r2}`)).version;
    expect((await member.post(`/statements/${r2}/close`, { version: v2 })).statusCode).toBe(303);
    expect((await all(sql`SELECT id FROM academic_debts WHERE student_id = ${c.studentId} AND course_id = ${course} AND cleared_at IS NULL`)).length).toBe(0);
  });
});

describe('results and the signature, when they cross', () => {
  // The route reads the statement, checks, then writes: a signature landing in between must not leave
  // results written into a signed statement, nor a signature over results its debts were not computed from.
  it('results are not written into a statement signed meanwhile, and a signature older than the last results is refused', async () => {
    const course = await courseOf(t.store, 'Human Anatomy', '1103');
    const group = await groupIdOf(t.store, '1103');
    const teacherId = await userId(t.store, 'teacher@demo.test');
    const id = await openFor(await loginAs(t.app, 'dean@demo.test'), course, group, teacherId, '2026-12-22');
    const actor = { id: teacherId, role: 'teacher', ip: '127.0.0.1' };
    const seen = (await q<{ id: number; courseId: number; version: number }>(sql`SELECT id, course_id AS "courseId", version FROM statements WHERE id = ${id}`));
    expect(await t.store.tx((tx) => claimOpenStatement(tx, id, actor, 1))).toBe(true); // results typed after the page was read
    expect(await t.store.tx((tx) => closeStatement(tx, seen, [], [], actor, 2))).toBe(false);
    const fresh = (await q<{ id: number; courseId: number; version: number }>(sql`SELECT id, course_id AS "courseId", version FROM statements WHERE id = ${id}`));
    expect(await t.store.tx((tx) => closeStatement(tx, fresh, [], [], actor, 3))).toBe(true);
    expect(await t.store.tx((tx) => claimOpenStatement(tx, id, actor, 4))).toBe(false);
  });
});

describe('statement numbers', () => {
  it('stay unique when several are opened at the same moment (PostgreSQL: the count is read under a lock)', async () => {
    const { openStatement } = await import('../db/queries/statements');
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const group = await groupIdOf(t.store, '1101');
    const admin = { id: await userId(t.store, 'admin@demo.test'), role: 'admin', ip: null };
    const teacher = await userId(t.store, 'teacher@demo.test');
    const ids = await Promise.all(Array.from({ length: 6 }, () => t.store.tx((tx) => openStatement(tx,
      { courseId: course, groupId: group, kind: 'exam', date: '2031-01-20', attempt: 1, examinerIds: [teacher], studentIds: [] }, admin, Date.now()))));
    const numbers = await t.store.all<{ number: string }>(sql`SELECT number FROM statements WHERE number LIKE '2031-%' ORDER BY number`);
    expect(ids).toHaveLength(6);
    expect(numbers.map((r) => r.number)).toEqual(['2031-0001', '2031-0002', '2031-0003', '2031-0004', '2031-0005', '2031-0006']);
  });
});
