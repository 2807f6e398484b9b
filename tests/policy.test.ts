import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestApp, userId, type TestApp } from './helpers/app';
import { courseOf, studentOfGroup, linkedChild } from './helpers/lookup';
import { can, type Action } from '../server/policy';
import { currentUserById } from '../db/queries/users';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

/** The policy as a table: who, what, expected. Every row is one promise of DESIGN.md §4. */
describe('access policy', () => {
  it('answers every case of the table', () => {
    const db = t.db;
    const anatomy1101 = courseOf(db, 'Human Anatomy', '1101');
    const histology1101 = courseOf(db, 'Histology', '1101');
    const anatomyE101 = courseOf(db, 'Human Anatomy', 'E101');
    const student = userId(db, 'student@demo.test');
    const classmate = studentOfGroup(db, '1101');
    const fisStudent = studentOfGroup(db, 'E101');
    const son = linkedChild(db, 'teacher-parent@demo.test');
    const revoked = db.$client.prepare('SELECT guardian_id g, student_id s FROM guardian_links WHERE revoked_at IS NOT NULL LIMIT 1').get() as { g: number; s: number };
    const lfFaculty = (db.$client.prepare("SELECT id FROM faculties WHERE code = 'LF'").get() as { id: number }).id;
    const fisFaculty = (db.$client.prepare("SELECT id FROM faculties WHERE code = 'FIS'").get() as { id: number }).id;

    const rows: [string | number | null, Action, boolean][] = [
      ['teacher@demo.test', { do: 'journal.view', courseId: anatomy1101 }, true],
      ['teacher@demo.test', { do: 'journal.write', courseId: anatomy1101 }, true],
      ['teacher@demo.test', { do: 'journal.view', courseId: histology1101 }, false],
      ['teacher@demo.test', { do: 'journal.write', courseId: histology1101 }, false],
      ['teacher@demo.test', { do: 'journal.override', courseId: anatomy1101 }, false],
      ['teacher@demo.test', { do: 'student.view', studentId: student }, false],
      ['teacher@demo.test', { do: 'admin.any' }, false],
      ['teacher2@demo.test', { do: 'journal.write', courseId: anatomy1101 }, true],
      ['dean@demo.test', { do: 'journal.view', courseId: anatomy1101 }, true],
      ['dean@demo.test', { do: 'journal.override', courseId: anatomy1101 }, true],
      ['dean@demo.test', { do: 'journal.write', courseId: anatomy1101 }, false],
      ['dean@demo.test', { do: 'journal.view', courseId: anatomyE101 }, false],
      ['dean@demo.test', { do: 'student.marks', studentId: student }, true],
      ['dean@demo.test', { do: 'student.view', studentId: fisStudent }, false],
      ['dean@demo.test', { do: 'faculty.admin', facultyId: lfFaculty }, true],
      ['dean@demo.test', { do: 'faculty.admin', facultyId: fisFaculty }, false],
      ['dean@demo.test', { do: 'university.admin' }, false],
      ['dean-fis@demo.test', { do: 'journal.view', courseId: anatomyE101 }, true],
      ['dean-fis@demo.test', { do: 'journal.view', courseId: anatomy1101 }, false],
      ['admin@demo.test', { do: 'journal.view', courseId: anatomyE101 }, true],
      ['admin@demo.test', { do: 'student.marks', studentId: fisStudent }, true],
      ['admin@demo.test', { do: 'university.admin' }, true],
      ['student@demo.test', { do: 'student.view', studentId: student }, true],
      ['student@demo.test', { do: 'student.marks', studentId: student }, true],
      ['student@demo.test', { do: 'student.view', studentId: classmate }, false],
      ['student@demo.test', { do: 'student.marks', studentId: classmate }, false],
      ['student@demo.test', { do: 'journal.view', courseId: anatomy1101 }, false],
      ['student@demo.test', { do: 'student.dispute', studentId: student, courseId: anatomy1101 }, true],
      ['student@demo.test', { do: 'student.dispute', studentId: student, courseId: anatomyE101 }, false],
      ['student@demo.test', { do: 'student.manageLinks', studentId: student }, true],
      ['parent@demo.test', { do: 'student.view', studentId: student }, true],
      ['parent@demo.test', { do: 'student.marks', studentId: student }, true],
      ['parent@demo.test', { do: 'student.manageLinks', studentId: student }, false],
      ['parent@demo.test', { do: 'student.view', studentId: classmate }, false],
      ['parent@demo.test', { do: 'journal.view', courseId: anatomy1101 }, false],
      ['teacher-parent@demo.test', { do: 'student.attendance', studentId: son }, true],
      ['teacher-parent@demo.test', { do: 'student.marks', studentId: son }, false],
      // Whose account an office may see and change (issue 10.1).
      ['dean@demo.test', { do: 'person.manage', userId: student }, true],
      ['dean@demo.test', { do: 'person.manage', userId: userId(db, 'parent@demo.test') }, true],
      ['dean@demo.test', { do: 'person.manage', userId: userId(db, 'teacher-parent@demo.test') }, true],
      ['dean@demo.test', { do: 'person.view', userId: fisStudent }, false],
      ['dean@demo.test', { do: 'person.view', userId: userId(db, 'admin@demo.test') }, false],
      ['dean@demo.test', { do: 'person.view', userId: userId(db, 'dean-fis@demo.test') }, false],
      ['dean@demo.test', { do: 'person.view', userId: userId(db, 'dean@demo.test') }, false],
      ['dean-fis@demo.test', { do: 'person.view', userId: userId(db, 'teacher-parent@demo.test') }, false],
      ['dean-fis@demo.test', { do: 'person.manage', userId: fisStudent }, true],
      ['admin@demo.test', { do: 'person.manage', userId: userId(db, 'dean@demo.test') }, true],
      ['admin@demo.test', { do: 'person.manage', userId: userId(db, 'admin@demo.test') }, false],
      ['teacher@demo.test', { do: 'person.view', userId: student }, false],
      ['parent@demo.test', { do: 'person.view', userId: student }, false],
      [revoked.g, { do: 'student.view', studentId: revoked.s }, false],
      [null, { do: 'student.view', studentId: student }, false],
      [null, { do: 'journal.view', courseId: anatomy1101 }, false],
    ];
    const failures = rows.filter(([who, action, expected]) => {
      const id = who === null ? null : typeof who === 'number' ? who : userId(db, who);
      const user = id === null ? null : currentUserById(db, id) ?? null;
      return can(db, user, action) !== expected;
    });
    expect(failures.map(([who, a, e]) => `${who} ${JSON.stringify(a)} should be ${e}`)).toEqual([]);
  });

  it('closes the journal to its teachers once the term is locked, but not to the dean', () => {
    const course = courseOf(t.db, 'Human Anatomy', '1101');
    const teacher = currentUserById(t.db, userId(t.db, 'teacher@demo.test'))!;
    const dean = currentUserById(t.db, userId(t.db, 'dean@demo.test'))!;
    t.db.$client.prepare('UPDATE terms SET locked_at = 1 WHERE id = (SELECT term_id FROM courses WHERE id = ?)').run(course);
    try {
      expect(can(t.db, teacher, { do: 'journal.write', courseId: course })).toBe(false);
      expect(can(t.db, teacher, { do: 'journal.view', courseId: course })).toBe(true);
      expect(can(t.db, dean, { do: 'journal.override', courseId: course })).toBe(true);
    } finally {
      t.db.$client.prepare('UPDATE terms SET locked_at = NULL WHERE id = (SELECT term_id FROM courses WHERE id = ?)').run(course);
    }
  });
});
