// Academic debts (issue 16, item 3): who owes which course since which statement, and by when.
import { sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../store';
import { valuesList } from '../sql-dialect';
import { appendAudit } from './audit';
import type { Actor } from './records';

export type Debt = {
  id: number; studentId: number; surname: string; givenName: string; nameLatin: string | null; patronymic: string | null; courseId: number; subjectRu: string; subjectEn: string;
  termNameRu: string; termNameEn: string; statementId: number; number: string; attempt: number; deadline: string; version: number;
  groupName: string | null; facultyId: number | null;
};

// The group is the student's current one (the debtors list is by where they study now).
const SELECT = sql`SELECT d.id, d.student_id AS "studentId", u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic, d.course_id AS "courseId",
    s.name_ru AS "subjectRu", s.name_en AS "subjectEn", t.name_ru AS "termNameRu", t.name_en AS "termNameEn", d.statement_id AS "statementId",
    st.number, st.attempt, d.deadline, d.version, g.name AS "groupName", g.faculty_id AS "facultyId"
  FROM academic_debts d JOIN users u ON u.id = d.student_id JOIN courses c ON c.id = d.course_id JOIN subjects s ON s.id = c.subject_id
  JOIN terms t ON t.id = c.term_id JOIN statements st ON st.id = d.statement_id
  LEFT JOIN group_memberships m ON m.student_id = d.student_id AND m.to_date IS NULL LEFT JOIN groups g ON g.id = m.group_id`;

export async function studentOpenDebts(s: Queryable, studentId: number): Promise<Debt[]> {
  return s.all<Debt>(sql`${SELECT} WHERE d.student_id = ${studentId} AND d.cleared_at IS NULL ORDER BY d.deadline, d.id`);
}

export async function courseOpenDebts(s: Queryable, courseId: number): Promise<Debt[]> {
  return s.all<Debt>(sql`${SELECT} WHERE d.course_id = ${courseId} AND d.cleared_at IS NULL ORDER BY u.surname, u.given_name, d.id`);
}

/** Open debts of the students now in the faculties' groups (all: the university), optionally one group. */
export async function facultyOpenDebts(s: Queryable, faculties: number[] | 'all', groupId: number | null): Promise<Debt[]> {
  if (faculties !== 'all' && faculties.length === 0) return [];
  const inFaculties = faculties === 'all' ? sql`` : sql` AND g.faculty_id IN (${valuesList(faculties)})`;
  const inGroup = groupId === null ? sql`` : sql` AND g.id = ${groupId}`;
  return s.all<Debt>(sql`${SELECT} WHERE d.cleared_at IS NULL AND g.id IS NOT NULL${inFaculties}${inGroup} ORDER BY g.name, u.surname, u.given_name, d.deadline`);
}

export async function debtById(s: Queryable, id: number): Promise<Debt | undefined> {
  return s.get<Debt>(sql`${SELECT} WHERE d.id = ${id}`);
}

/** The dean's office moves a deadline; compared with the version it saw. */
export async function setDebtDeadline(tx: Tx, d: Debt, deadline: string, seenVersion: number, actor: Actor, now: number): Promise<boolean> {
  const r = await tx.run(sql`UPDATE academic_debts SET deadline = ${deadline}, version = version + 1, updated_by = ${actor.id}, updated_at = ${now}
    WHERE id = ${d.id} AND version = ${seenVersion} AND cleared_at IS NULL`);
  if (r.changes !== 1) return false;
  await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'academic_debt.deadline', entity: 'academic_debt', entityId: d.id,
    studentId: d.studentId, courseId: d.courseId, before: { deadline: d.deadline }, after: { deadline } });
  return true;
}

/** Who may examine a course: its teachers and the teachers of its subject's department (a commission's members). */
export async function examinerCandidates(s: Queryable, courseId: number): Promise<{ id: number; surname: string; givenName: string; nameLatin: string | null; patronymic: string | null }[]> {
  return s.all(sql`SELECT DISTINCT u.id, u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'teacher'
    WHERE u.disabled = ${false} AND (u.id IN (SELECT teacher_id FROM course_teachers WHERE course_id = ${courseId})
      OR r.department_id = (SELECT sb.department_id FROM courses c JOIN subjects sb ON sb.id = c.subject_id WHERE c.id = ${courseId}))
    ORDER BY u.surname, u.given_name, u.id`);
}

/** The groups of the faculties (all: the university), for the debtors list's filter. */
export async function groupsOfFaculties(s: Queryable, faculties: number[] | 'all'): Promise<{ id: number; name: string }[]> {
  if (faculties !== 'all' && faculties.length === 0) return [];
  const where = faculties === 'all' ? sql`` : sql` WHERE faculty_id IN (${valuesList(faculties)})`;
  return s.all(sql`SELECT id, name FROM groups${where} ORDER BY name`);
}
