import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, userId, type TestApp } from './helpers/app';
import { courseOf, studentOfGroup, linkedChild } from './helpers/lookup';
import { can, loadFacts, needsOf, withObjects, type Action } from '../server/policy';
import { currentUserById, type CurrentUser } from '../db/queries/users';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

/** The facts of the action's objects for the user, then the pure decision. */
async function decide(user: CurrentUser | null, action: Action): Promise<boolean> {
  return can(await withObjects(t.store, await loadFacts(t.store, user), needsOf(action)), action);
}

/** The policy as a table: who, what, expected. Every row is one promise of DESIGN.md §4. */
describe('access policy', () => {
  it('answers every case of the table', async () => {
    const store = t.store;
    const anatomy1101 = await courseOf(store, 'Human Anatomy', '1101');
    const histology1101 = await courseOf(store, 'Histology', '1101');
    const anatomyE101 = await courseOf(store, 'Human Anatomy', 'E101');
    const student = await userId(store, 'student@demo.test');
    const classmate = await studentOfGroup(store, '1101');
    const fisStudent = await studentOfGroup(store, 'E101');
    const son = await linkedChild(store, 'teacher-parent@demo.test');
    const revoked = (await store.get<{ g: number; s: number }>(sql`SELECT guardian_id AS g, student_id AS s FROM guardian_links WHERE revoked_at IS NOT NULL LIMIT 1`))!;
    const lfFaculty = (await store.get<{ id: number }>(sql`SELECT id FROM faculties WHERE code = 'LF'`))!.id;
    const fisFaculty = (await store.get<{ id: number }>(sql`SELECT id FROM faculties WHERE code = 'FIS'`))!.id;

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
      ['dean@demo.test', { do: 'person.manage', userId: await userId(store, 'parent@demo.test') }, true],
      ['dean@demo.test', { do: 'person.manage', userId: await userId(store, 'teacher-parent@demo.test') }, true],
      ['dean@demo.test', { do: 'person.view', userId: fisStudent }, false],
      ['dean@demo.test', { do: 'person.view', userId: await userId(store, 'admin@demo.test') }, false],
      ['dean@demo.test', { do: 'person.view', userId: await userId(store, 'dean-fis@demo.test') }, false],
      ['dean@demo.test', { do: 'person.view', userId: await userId(store, 'dean@demo.test') }, false],
      ['dean-fis@demo.test', { do: 'person.view', userId: await userId(store, 'teacher-parent@demo.test') }, false],
      ['dean-fis@demo.test', { do: 'person.manage', userId: fisStudent }, true],
      ['admin@demo.test', { do: 'person.manage', userId: await userId(store, 'dean@demo.test') }, true],
      ['admin@demo.test', { do: 'person.manage', userId: await userId(store, 'admin@demo.test') }, false],
      ['teacher@demo.test', { do: 'person.view', userId: student }, false],
      ['parent@demo.test', { do: 'person.view', userId: student }, false],
      [revoked.g, { do: 'student.view', studentId: revoked.s }, false],
      [null, { do: 'student.view', studentId: student }, false],
      [null, { do: 'journal.view', courseId: anatomy1101 }, false],
    ];
    const failures: typeof rows = [];
    for (const row of rows) {
      const [who, action, expected] = row;
      const id = who === null ? null : typeof who === 'number' ? who : await userId(store, who);
      const user = id === null ? null : (await currentUserById(store, id)) ?? null;
      if ((await decide(user, action)) !== expected) failures.push(row);
    }
    expect(failures.map(([who, a, e]) => `${who} ${JSON.stringify(a)} should be ${e}`)).toEqual([]);
  });

  it('closes the journal to its teachers once the term is locked, but not to the dean', async () => {
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const teacher = (await currentUserById(t.store, await userId(t.store, 'teacher@demo.test')))!;
    const dean = (await currentUserById(t.store, await userId(t.store, 'dean@demo.test')))!;
    await t.store.run(sql`UPDATE terms SET locked_at = 1 WHERE id = (SELECT term_id FROM courses WHERE id = ${course})`);
    try {
      expect(await decide(teacher, { do: 'journal.write', courseId: course })).toBe(false);
      expect(await decide(teacher, { do: 'journal.view', courseId: course })).toBe(true);
      expect(await decide(dean, { do: 'journal.override', courseId: course })).toBe(true);
    } finally {
      await t.store.run(sql`UPDATE terms SET locked_at = NULL WHERE id = (SELECT term_id FROM courses WHERE id = ${course})`);
    }
  });
});
