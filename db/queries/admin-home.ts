import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';

export type FacultyOverview = {
  id: number; code: string; nameRu: string; nameEn: string;
  groups: { id: number; name: string; year: number; language: string; programme: string; students: number; absentPercent: number | null; missing: number }[];
};

/**
 * Faculties in the admin's scope with their groups: current head-count, this term's absence rate and
 * the lessons held before today that still have no attendance (completeness).
 */
export async function facultyOverview(s: Queryable, facultyIds: number[] | 'all', termId: number, today: string): Promise<FacultyOverview[]> {
  const faculties = await s.all<Omit<FacultyOverview, 'groups'>>(sql`SELECT id, code, name_ru AS "nameRu", name_en AS "nameEn" FROM faculties ORDER BY id`);
  const groupRows = await s.all<FacultyOverview['groups'][number] & { facultyId: number }>(sql`
    SELECT g.id, g.name, g.year, g.language, g.programme, g.faculty_id AS "facultyId",
      (SELECT count(*) FROM group_memberships m WHERE m.group_id = g.id AND m.to_date IS NULL) AS students,
      (SELECT round(100.0 * sum(CASE WHEN a.status = 'absent' THEN 1 ELSE 0 END) / count(*), 1) FROM attendance a JOIN lessons l ON l.id = a.lesson_id
        JOIN courses c ON c.id = l.course_id JOIN group_memberships m ON m.student_id = a.student_id AND m.group_id = g.id
        WHERE c.term_id = ${termId} AND m.from_date <= l.date AND (m.to_date IS NULL OR m.to_date >= l.date)) AS "absentPercent",
      (SELECT count(*) FROM lessons l JOIN course_groups cg ON cg.course_id = l.course_id AND cg.group_id = g.id
        JOIN courses c ON c.id = l.course_id
        WHERE c.term_id = ${termId} AND (l.group_id IS NULL OR l.group_id = g.id) AND l.date < ${today} AND l.cancelled = ${false}
        AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = l.id)) AS missing
    FROM groups g ORDER BY g.name`);
  return faculties
    .filter((f) => facultyIds === 'all' || facultyIds.includes(f.id))
    .map((f) => ({ ...f, groups: groupRows.filter((g) => g.facultyId === f.id) }));
}
