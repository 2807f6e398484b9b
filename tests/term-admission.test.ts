// The reports page's batched path (one set of queries for a whole faculty) must give every student
// exactly what their own page gives (studentCourseProgress, one student at a time): the admission
// verdict with its reasons and warnings, and the rest of the course figures with it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql, type SQLWrapper } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp } from './helpers/app';
import { courseOf, studentOfGroup } from './helpers/lookup';
import { TEST_TODAY } from './helpers/constants';
import { currentTerm } from '../db/queries/terms';
import { studentsInFaculties } from '../db/queries/reports';
import { studentCourseProgress } from '../server/progress/student-progress';
import { termCourseProgress, facultyTermProgress } from '../server/progress/term-admission';

let t: TestApp;
let termId: number;
const run = (query: SQLWrapper) => t.store.run(query);
const get = async <T>(query: SQLWrapper) => (await t.store.get<T>(query)) as T;
const facultyId = async (code: string) => (await get<{ id: number }>(sql`SELECT id FROM faculties WHERE code = ${code}`)).id;
/** Everyone who ever was in a group, current or not. */
const allStudents = async () => (await t.store.all<{ id: number }>(sql`SELECT DISTINCT student_id AS id FROM group_memberships ORDER BY student_id`)).map((r) => r.id);
const verdicts = async (id: number) => (await studentCourseProgress(t.store, id, termId, TEST_TODAY)).map((c) => ({ courseId: c.courseId, admitted: c.admission.admitted, reasons: c.admission.reasons, warnings: c.admission.warnings }));

/** Batched vs one-by-one for every student of the demo; returns how many (student, course) pairs were not admitted. */
async function expectSameForEveryone(): Promise<number> {
  const ids = await allStudents();
  const batched = await termCourseProgress(t.store, ids, termId, TEST_TODAY);
  let notAdmitted = 0;
  const oneByOne = new Map<number, Awaited<ReturnType<typeof studentCourseProgress>>>();
  for (const id of ids) {
    const one = await studentCourseProgress(t.store, id, termId, TEST_TODAY);
    oneByOne.set(id, one);
    const many = batched.get(id)!;
    // The verdict first (what the reports page shows), then everything else the student's page shows.
    expect(many.map((c) => ({ courseId: c.courseId, admitted: c.admission.admitted, reasons: c.admission.reasons, warnings: c.admission.warnings })), `student ${id}`)
      .toEqual(one.map((c) => ({ courseId: c.courseId, admitted: c.admission.admitted, reasons: c.admission.reasons, warnings: c.admission.warnings })));
    expect(many, `student ${id}`).toEqual(one);
    notAdmitted += one.filter((c) => !c.admission.admitted).length;
  }
  for (const scope of [[await facultyId('LF')], [await facultyId('FIS')], 'all'] as const) {
    const students = await studentsInFaculties(t.store, scope as number[] | 'all');
    const rows = await facultyTermProgress(t.store, scope as number[] | 'all', termId, TEST_TODAY);
    expect(rows.map((r) => r.student)).toEqual(students);
    for (const r of rows) expect(r.courses).toEqual(oneByOne.get(r.student.id));
  }
  return notAdmitted;
}

beforeAll(async () => {
  t = await makeTestApp();
  termId = (await currentTerm(t.store, TEST_TODAY))!.id;
});
afterAll(async () => { await t.close(); });

describe('term admission, batched for a faculty', () => {
  it('gives every student of the seed the same verdicts as their own page', async () => {
    const ids = await allStudents();
    expect(ids.length).toBeGreaterThan(100);
    const notAdmitted = await expectSameForEveryone();
    expect(notAdmitted).toBeGreaterThan(5); // not a trivial "everyone admitted"
  });

  it('stays equal after writes: a mark cleared, absences added and excused, an excused period, overrides, a cancelled lesson, a transfer', async () => {
    const student = await userId(t.store, 'student@demo.test');
    const anatomy = await courseOf(t.store, 'Human Anatomy', '1101');
    const before = await verdicts(student);
    // Clear one of her marks (the row stays, value null) and mark her absent, reason unknown, from two practicals.
    const marked = await get<{ id: number; lessonId: number }>(sql`SELECT k.id, k.lesson_id AS "lessonId" FROM marks k JOIN lessons l ON l.id = k.lesson_id
      WHERE k.student_id = ${student} AND l.course_id = ${anatomy} AND k.value IS NOT NULL ORDER BY l.date LIMIT 1`);
    await run(sql`UPDATE marks SET value = NULL WHERE id = ${marked.id}`);
    const present = (await t.store.all<{ id: number }>(sql`SELECT a.id FROM attendance a JOIN lessons l ON l.id = a.lesson_id
      WHERE a.student_id = ${student} AND l.course_id = ${anatomy} AND a.status = 'present' AND l.kind = 'practical' ORDER BY l.date LIMIT 2`)).map((r) => r.id);
    for (const id of present) await run(sql`UPDATE attendance SET status = 'absent', reason_status = 'unknown', reason_id = NULL WHERE id = ${id}`);
    expect(await verdicts(student)).not.toEqual(before);
    await expectSameForEveryone();

    // Excuse one of them with a reason that needs no make-up, and clear another student's attendance row.
    const donation = (await get<{ id: number }>(sql`SELECT id FROM absence_reasons WHERE requires_makeup = ${false} ORDER BY id LIMIT 1`)).id;
    await run(sql`UPDATE attendance SET reason_status = 'excused', reason_id = ${donation} WHERE id = ${present[0]}`);
    const classmate = await studentOfGroup(t.store, '1101');
    await run(sql`UPDATE attendance SET status = NULL WHERE id = (SELECT a.id FROM attendance a JOIN lessons l ON l.id = a.lesson_id
      WHERE a.student_id = ${classmate} AND l.course_id = ${anatomy} ORDER BY l.date LIMIT 1)`);
    await expectSameForEveryone();

    // A classmate in 1102 absent from every lesson: over the cap, then an excused period covering most of it.
    const absentee = await studentOfGroup(t.store, '1102', 2);
    await run(sql`UPDATE attendance SET status = 'absent', reason_status = 'unexcused' WHERE student_id = ${absentee}`);
    expect((await verdicts(absentee)).some((v) => v.reasons.some((r) => r.code === 'admission.absenceOverCap'))).toBe(true);
    await expectSameForEveryone();
    await run(sql`INSERT INTO excused_periods (student_id, reason_id, from_date, to_date) VALUES (${absentee}, ${donation}, ${'2000-01-01'}, ${'2026-11-10'})`);
    await expectSameForEveryone();

    // The dean's office bars one student and admits another regardless of the rules.
    const barred = await studentOfGroup(t.store, '1103');
    await run(sql`INSERT INTO admission_overrides (course_id, student_id, admitted, reason) VALUES (${await courseOf(t.store, 'Human Anatomy', '1103')}, ${barred}, ${false}, ${'Академическая задолженность'})`);
    await run(sql`INSERT INTO admission_overrides (course_id, student_id, admitted, reason) VALUES (${anatomy}, ${absentee}, ${true}, ${'Решение декана'})`);
    expect((await verdicts(barred)).some((v) => v.reasons.some((r) => r.code === 'admission.barredByDean'))).toBe(true);
    await expectSameForEveryone();

    // A lesson cancelled, a transfer from 1103 to 1102 today, and a make-up done with a mark.
    await run(sql`UPDATE lessons SET cancelled = ${true} WHERE id = (SELECT id FROM lessons WHERE course_id = ${anatomy} AND group_id IS NULL AND date < ${TEST_TODAY} ORDER BY date LIMIT 1)`);
    const mover = await studentOfGroup(t.store, '1103', 1);
    await run(sql`UPDATE group_memberships SET to_date = '2026-11-20' WHERE student_id = ${mover} AND to_date IS NULL`);
    await run(sql`INSERT INTO group_memberships (student_id, group_id, from_date) VALUES (${mover}, (SELECT id FROM groups WHERE name = '1102'), '2026-11-21')`);
    await run(sql`UPDATE makeups SET status = 'done', mark = 9, done_on = ${TEST_TODAY} WHERE id = (SELECT id FROM makeups WHERE status = 'pending' ORDER BY id LIMIT 1)`);
    await expectSameForEveryone();
  });

  it('the reports page still lists the at-risk students the one-by-one verdicts give', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const page = await dean.get('/admin/reports');
    expect(page.statusCode).toBe(200);
    const csv = (await dean.get('/admin/reports.csv?table=risk')).body.trim().split('\r\n').slice(1);
    let expected = 0;
    for (const s of await studentsInFaculties(t.store, [await facultyId('LF')])) expected += (await verdicts(s.id)).filter((v) => !v.admitted).length;
    expect(csv.length).toBe(expected);
  });
});
