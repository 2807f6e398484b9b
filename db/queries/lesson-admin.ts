// Small reads of the lesson, journal and dispute pages that had their SQL inline in the routes.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import { listAgg } from '../sql-dialect';

export type AdminTermCourse = { id: number; subjectRu: string; subjectEn: string; groups: string; facultyIds: number[] };

/** Every course of a term with its groups' names and the faculties of those groups (the admin's course list). */
export async function adminTermCourses(s: Queryable, termId: number): Promise<AdminTermCourse[]> {
  const rows = await s.all<{ id: number; subjectRu: string; subjectEn: string; groups: string | null }>(sql`SELECT c.id,
      s.name_ru AS "subjectRu", s.name_en AS "subjectEn",
      (SELECT ${listAgg(s, sql`g.name`, ', ')} FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id = c.id) AS "groups"
    FROM courses c JOIN subjects s ON s.id = c.subject_id WHERE c.term_id = ${termId} ORDER BY s.name_ru, c.id`);
  const faculties = await s.all<{ c: number; f: number }>(sql`SELECT DISTINCT cg.course_id AS c, g.faculty_id AS f
    FROM course_groups cg JOIN groups g ON g.id = cg.group_id JOIN courses c ON c.id = cg.course_id WHERE c.term_id = ${termId}`);
  const byCourse = new Map<number, number[]>();
  for (const r of faculties) byCourse.set(r.c, [...(byCourse.get(r.c) ?? []), r.f]);
  return rows.map((r) => ({ id: r.id, subjectRu: r.subjectRu, subjectEn: r.subjectEn, groups: r.groups ?? '', facultyIds: byCourse.get(r.id) ?? [] }));
}

/** The ids of a term's courses. */
export async function termCourseIds(s: Queryable, termId: number): Promise<number[]> {
  return (await s.all<{ id: number }>(sql`SELECT id FROM courses WHERE term_id = ${termId}`)).map((r) => r.id);
}

/** A faculty's name in both languages. */
export async function facultyNames(s: Queryable, facultyId: number): Promise<{ ru: string; en: string } | undefined> {
  return s.get<{ ru: string; en: string }>(sql`SELECT name_ru AS ru, name_en AS en FROM faculties WHERE id = ${facultyId}`);
}

export type Membership = { groupId: number; from: string; to: string | null };

/** Every group membership of a student, with its dates (which lessons they were expected at). */
export async function studentMemberships(s: Queryable, studentId: number): Promise<Membership[]> {
  return s.all<Membership>(sql`SELECT group_id AS "groupId", from_date AS "from", to_date AS "to" FROM group_memberships WHERE student_id = ${studentId}`);
}
