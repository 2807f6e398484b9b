// The facts the policy decides on, each one small indexed query. Kept apart from the decisions
// (policy/index.ts) so the decision table reads like DESIGN.md §4.
import { prepared, type DB } from '../../db/client';
import type { CurrentUser } from '../../db/queries/users';
import type { LinkScope } from '../../db/schema';

const stmt = prepared;

export function hasRole(user: CurrentUser | null, role: CurrentUser['roles'][number]['role']): boolean {
  return !!user?.roles.some((r) => r.role === role);
}

/** 'university' for a university-wide admin, the faculty ids for a dean's office, null otherwise. */
export function adminScope(user: CurrentUser | null): 'university' | Set<number> | null {
  if (!user) return null;
  const grants = user.roles.filter((r) => r.role === 'admin');
  if (grants.length === 0) return null;
  if (grants.some((g) => g.facultyId === null)) return 'university';
  return new Set(grants.map((g) => g.facultyId!));
}

export function adminCoversFaculty(user: CurrentUser | null, facultyId: number | null | undefined): boolean {
  const scope = adminScope(user);
  if (scope === 'university') return true;
  return !!scope && facultyId != null && scope.has(facultyId);
}

export function courseFacultyIds(db: DB, courseId: number): number[] {
  return (stmt(db, 'SELECT DISTINCT g.faculty_id AS f FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id = ?').all(courseId) as { f: number }[]).map((r) => r.f);
}

export function teachesCourse(db: DB, userId: number, courseId: number): boolean {
  return !!stmt(db, 'SELECT 1 FROM course_teachers WHERE course_id = ? AND teacher_id = ?').get(courseId, userId);
}

/** Faculties of every group the student was ever in: a dean's office keeps seeing a transferred student's history. */
export function studentFacultyIds(db: DB, studentId: number): number[] {
  return (stmt(db, 'SELECT DISTINCT g.faculty_id AS f FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = ?').all(studentId) as { f: number }[]).map((r) => r.f);
}

export function isStudent(db: DB, studentId: number): boolean {
  return !!stmt(db, "SELECT 1 FROM user_roles WHERE user_id = ? AND role = 'student'").get(studentId);
}

/** The live (consented, not revoked) link between a guardian and a student, if any. */
export function activeLinkScope(db: DB, guardianId: number, studentId: number): LinkScope | null {
  const row = stmt(db, 'SELECT scope FROM guardian_links WHERE guardian_id = ? AND student_id = ? AND revoked_at IS NULL ORDER BY id DESC LIMIT 1').get(guardianId, studentId) as { scope: LinkScope } | undefined;
  return row?.scope ?? null;
}

/** True when the teacher teaches a course attended by the student (any of the student's groups). */
export function teachesStudent(db: DB, teacherId: number, studentId: number): boolean {
  return !!stmt(db, `SELECT 1 FROM course_teachers ct JOIN course_groups cg ON cg.course_id = ct.course_id
      JOIN group_memberships m ON m.group_id = cg.group_id WHERE ct.teacher_id = ? AND m.student_id = ? LIMIT 1`).get(teacherId, studentId);
}

export function studentInCourse(db: DB, studentId: number, courseId: number): boolean {
  return !!stmt(db, `SELECT 1 FROM course_groups cg JOIN group_memberships m ON m.group_id = cg.group_id
      WHERE cg.course_id = ? AND m.student_id = ? LIMIT 1`).get(courseId, studentId);
}

export function termLockedForCourse(db: DB, courseId: number): boolean {
  const r = stmt(db, 'SELECT t.locked_at AS l FROM courses c JOIN terms t ON t.id = c.term_id WHERE c.id = ?').get(courseId) as { l: number | null } | undefined;
  return !!r?.l;
}

export function lessonCourseId(db: DB, lessonId: number): number | null {
  const r = stmt(db, 'SELECT course_id AS c FROM lessons WHERE id = ?').get(lessonId) as { c: number } | undefined;
  return r?.c ?? null;
}
