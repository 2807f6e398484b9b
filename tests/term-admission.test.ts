// The reports page's batched path (one set of queries for a whole faculty) must give every student
// exactly what their own page gives (studentCourseProgress, one student at a time): the admission
// verdict with its reasons and warnings, and the rest of the course figures with it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestApp, loginAs, userId, type TestApp } from './helpers/app';
import { courseOf, studentOfGroup } from './helpers/lookup';
import { TEST_TODAY } from './helpers/constants';
import { currentTerm } from '../db/queries/terms';
import { studentsInFaculties } from '../db/queries/reports';
import { studentCourseProgress } from '../server/progress/student-progress';
import { termCourseProgress, facultyTermProgress } from '../server/progress/term-admission';

let t: TestApp;
let termId: number;
const run = (sql: string, ...args: unknown[]) => t.db.$client.prepare(sql).run(...args);
const get = <T>(sql: string, ...args: unknown[]) => t.db.$client.prepare(sql).get(...args) as T;
const facultyId = (code: string) => get<{ id: number }>('SELECT id FROM faculties WHERE code = ?', code).id;
/** Everyone who ever was in a group, current or not. */
const allStudents = () => (t.db.$client.prepare('SELECT DISTINCT student_id FROM group_memberships ORDER BY student_id').pluck().all() as number[]);
const verdicts = (id: number) => studentCourseProgress(t.db, id, termId, TEST_TODAY).map((c) => ({ courseId: c.courseId, admitted: c.admission.admitted, reasons: c.admission.reasons, warnings: c.admission.warnings }));

/** Batched vs one-by-one for every student of the demo; returns how many (student, course) pairs were not admitted. */
function expectSameForEveryone(): number {
  const ids = allStudents();
  const batched = termCourseProgress(t.db, ids, termId, TEST_TODAY);
  let notAdmitted = 0;
  const oneByOne = new Map<number, ReturnType<typeof studentCourseProgress>>();
  for (const id of ids) {
    const one = studentCourseProgress(t.db, id, termId, TEST_TODAY);
    oneByOne.set(id, one);
    const many = batched.get(id)!;
    // The verdict first (what the reports page shows), then everything else the student's page shows.
    expect(many.map((c) => ({ courseId: c.courseId, admitted: c.admission.admitted, reasons: c.admission.reasons, warnings: c.admission.warnings })), `student ${id}`)
      .toEqual(one.map((c) => ({ courseId: c.courseId, admitted: c.admission.admitted, reasons: c.admission.reasons, warnings: c.admission.warnings })));
    expect(many, `student ${id}`).toEqual(one);
    notAdmitted += one.filter((c) => !c.admission.admitted).length;
  }
  for (const scope of [[facultyId('LF')], [facultyId('FIS')], 'all'] as const) {
    const students = studentsInFaculties(t.db, scope as number[] | 'all');
    const rows = facultyTermProgress(t.db, scope as number[] | 'all', termId, TEST_TODAY);
    expect(rows.map((r) => r.student)).toEqual(students);
    for (const r of rows) expect(r.courses).toEqual(oneByOne.get(r.student.id));
  }
  return notAdmitted;
}

beforeAll(async () => {
  t = await makeTestApp();
  termId = currentTerm(t.db, TEST_TODAY)!.id;
});
afterAll(async () => { await t.close(); });

describe('term admission, batched for a faculty', () => {
  it('gives every student of the seed the same verdicts as their own page', () => {
    const ids = allStudents();
    expect(ids.length).toBeGreaterThan(100);
    const notAdmitted = expectSameForEveryone();
    expect(notAdmitted).toBeGreaterThan(5); // not a trivial "everyone admitted"
  });

  it('stays equal after writes: a mark cleared, absences added and excused, an excused period, overrides, a cancelled lesson, a transfer', () => {
    const student = userId(t.db, 'student@demo.test');
    const anatomy = courseOf(t.db, 'Human Anatomy', '1101');
    const before = verdicts(student);
    // Clear one of her marks (the row stays, value null) and mark her absent, reason unknown, from two practicals.
    const marked = get<{ id: number; lessonId: number }>(`SELECT k.id, k.lesson_id AS lessonId FROM marks k JOIN lessons l ON l.id = k.lesson_id
      WHERE k.student_id = ? AND l.course_id = ? AND k.value IS NOT NULL ORDER BY l.date LIMIT 1`, student, anatomy);
    run('UPDATE marks SET value = NULL WHERE id = ?', marked.id);
    const present = t.db.$client.prepare(`SELECT a.id FROM attendance a JOIN lessons l ON l.id = a.lesson_id
      WHERE a.student_id = ? AND l.course_id = ? AND a.status = 'present' AND l.kind = 'practical' ORDER BY l.date LIMIT 2`).pluck().all(student, anatomy) as number[];
    for (const id of present) run("UPDATE attendance SET status = 'absent', reason_status = 'unknown', reason_id = NULL WHERE id = ?", id);
    expect(verdicts(student)).not.toEqual(before);
    expectSameForEveryone();

    // Excuse one of them with a reason that needs no make-up, and clear another student's attendance row.
    const donation = get<{ id: number }>("SELECT id FROM absence_reasons WHERE requires_makeup = 0 ORDER BY id LIMIT 1").id;
    run("UPDATE attendance SET reason_status = 'excused', reason_id = ? WHERE id = ?", donation, present[0]);
    const classmate = studentOfGroup(t.db, '1101');
    run(`UPDATE attendance SET status = NULL WHERE id = (SELECT a.id FROM attendance a JOIN lessons l ON l.id = a.lesson_id
      WHERE a.student_id = ? AND l.course_id = ? ORDER BY l.date LIMIT 1)`, classmate, anatomy);
    expectSameForEveryone();

    // A classmate in 1102 absent from every lesson: over the cap, then an excused period covering most of it.
    const absentee = studentOfGroup(t.db, '1102', 2);
    run(`UPDATE attendance SET status = 'absent', reason_status = 'unexcused' WHERE student_id = ?`, absentee);
    expect(verdicts(absentee).some((v) => v.reasons.some((r) => r.code === 'admission.absenceOverCap'))).toBe(true);
    expectSameForEveryone();
    run('INSERT INTO excused_periods (student_id, reason_id, from_date, to_date) VALUES (?, ?, ?, ?)', absentee, donation, '2000-01-01', '2026-11-10');
    expectSameForEveryone();

    // The dean's office bars one student and admits another regardless of the rules.
    const barred = studentOfGroup(t.db, '1103');
    run('INSERT INTO admission_overrides (course_id, student_id, admitted, reason) VALUES (?, ?, 0, ?)', courseOf(t.db, 'Human Anatomy', '1103'), barred, 'Академическая задолженность');
    run('INSERT INTO admission_overrides (course_id, student_id, admitted, reason) VALUES (?, ?, 1, ?)', anatomy, absentee, 'Решение декана');
    expect(verdicts(barred).some((v) => v.reasons.some((r) => r.code === 'admission.barredByDean'))).toBe(true);
    expectSameForEveryone();

    // A lesson cancelled, a transfer from 1103 to 1102 today, and a make-up done with a mark.
    run(`UPDATE lessons SET cancelled = 1 WHERE id = (SELECT id FROM lessons WHERE course_id = ? AND group_id IS NULL AND date < ? ORDER BY date LIMIT 1)`, anatomy, TEST_TODAY);
    const mover = studentOfGroup(t.db, '1103', 1);
    run(`UPDATE group_memberships SET to_date = '2026-11-20' WHERE student_id = ? AND to_date IS NULL`, mover);
    run(`INSERT INTO group_memberships (student_id, group_id, from_date) VALUES (?, (SELECT id FROM groups WHERE name = '1102'), '2026-11-21')`, mover);
    run(`UPDATE makeups SET status = 'done', mark = 9, done_on = ? WHERE id = (SELECT id FROM makeups WHERE status = 'pending' ORDER BY id LIMIT 1)`, TEST_TODAY);
    expectSameForEveryone();
  });

  it('the reports page still lists the at-risk students the one-by-one verdicts give', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const page = await dean.get('/admin/reports');
    expect(page.statusCode).toBe(200);
    const csv = (await dean.get('/admin/reports.csv?table=risk')).body.trim().split('\r\n').slice(1);
    let expected = 0;
    for (const s of studentsInFaculties(t.db, [facultyId('LF')])) expected += verdicts(s.id).filter((v) => !v.admitted).length;
    expect(csv.length).toBe(expected);
  });
});
