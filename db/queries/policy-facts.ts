// The facts access depends on (DESIGN.md §5), loaded in a few indexed queries so the policy can
// decide purely: what the user teaches and whom they guard, and the faculties, term lock and
// courses of the objects a request touches.
import { inArray, sql } from 'drizzle-orm';
import type { LinkScope } from '../schema';
import type { Queryable } from '../store';

export type UserFacts = { teaches: Set<number>; links: Map<number, LinkScope> };
export type CourseFacts = { facultyIds: number[]; termLocked: boolean };
export type StudentFacts = { facultyIds: number[]; courseIds: Set<number> };

export async function loadUserFacts(s: Queryable, userId: number): Promise<UserFacts> {
  // One round trip for both: the courses taught, then the live links (the newest per student decides its scope).
  const rows = await s.all<{ kind: 'course' | 'link'; id: number; scope: LinkScope | null; ord: number }>(sql`
    SELECT 'course' AS kind, course_id AS id, NULL AS scope, 0 AS ord FROM course_teachers WHERE teacher_id = ${userId}
    UNION ALL
    SELECT 'link' AS kind, student_id AS id, scope, id AS ord FROM guardian_links WHERE guardian_id = ${userId} AND revoked_at IS NULL
    ORDER BY ord`);
  const teaches = new Set<number>();
  const links = new Map<number, LinkScope>();
  for (const r of rows) {
    if (r.kind === 'course') teaches.add(r.id);
    else links.set(r.id, r.scope!);
  }
  return { teaches, links };
}

/** Facts of each course that exists; a missing id is simply absent from the map. */
export async function loadCourseFacts(s: Queryable, ids: number[]): Promise<Map<number, CourseFacts>> {
  const out = new Map<number, CourseFacts>();
  if (ids.length === 0) return out;
  const rows = await s.all<{ id: number; locked: number | null }>(sql`SELECT c.id, t.locked_at AS locked
    FROM courses c JOIN terms t ON t.id = c.term_id WHERE ${inArray(sql`c.id`, ids)}`);
  for (const r of rows) out.set(r.id, { facultyIds: [], termLocked: r.locked != null });
  const faculties = await s.all<{ c: number; f: number }>(sql`SELECT DISTINCT cg.course_id AS c, g.faculty_id AS f
    FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE ${inArray(sql`cg.course_id`, ids)}`);
  for (const r of faculties) out.get(r.c)?.facultyIds.push(r.f);
  return out;
}

/**
 * Facts of each id that is a student (holds the student role). Faculties and courses of every group
 * the student was ever in: a dean's office keeps seeing a transferred student's history.
 */
export async function loadStudentFacts(s: Queryable, ids: number[]): Promise<Map<number, StudentFacts>> {
  const out = new Map<number, StudentFacts>();
  if (ids.length === 0) return out;
  const students = await s.all<{ id: number }>(sql`SELECT DISTINCT user_id AS id FROM user_roles
    WHERE role = 'student' AND ${inArray(sql`user_id`, ids)}`);
  for (const r of students) out.set(r.id, { facultyIds: [], courseIds: new Set() });
  if (out.size === 0) return out;
  const found = [...out.keys()];
  const faculties = await s.all<{ s: number; f: number }>(sql`SELECT DISTINCT m.student_id AS s, g.faculty_id AS f
    FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE ${inArray(sql`m.student_id`, found)}`);
  for (const r of faculties) out.get(r.s)!.facultyIds.push(r.f);
  const courses = await s.all<{ s: number; c: number }>(sql`SELECT DISTINCT m.student_id AS s, cg.course_id AS c
    FROM group_memberships m JOIN course_groups cg ON cg.group_id = m.group_id WHERE ${inArray(sql`m.student_id`, found)}`);
  for (const r of courses) out.get(r.s)!.courseIds.add(r.c);
  return out;
}
