import { prepared, type DB } from '../client';

export function studentsInFaculties(db: DB, facultyIds: number[] | 'all'): { id: number; surname: string; givenName: string; groupName: string; facultyId: number }[] {
  const rows = prepared(db, `SELECT u.id, u.surname, u.given_name AS givenName, g.name AS groupName, g.faculty_id AS facultyId
    FROM group_memberships m JOIN users u ON u.id = m.student_id JOIN groups g ON g.id = m.group_id WHERE m.to_date IS NULL ORDER BY g.name, u.surname, u.given_name`).all() as { id: number; surname: string; givenName: string; groupName: string; facultyId: number }[];
  return facultyIds === 'all' ? rows : rows.filter((r) => facultyIds.includes(r.facultyId));
}

export type CompletenessRow = { teacher: string; department: string; missing: number; oldest: string | null };

/** Lessons held at least `days` days ago that still have no attendance, by teacher and department. */
export function completeness(db: DB, facultyIds: number[] | 'all', termId: number, today: string, days: number): CompletenessRow[] {
  const cutoff = new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  const rows = prepared(db, `SELECT u.surname || ' ' || u.given_name AS teacher, d.name_ru AS department, count(DISTINCT l.id) AS missing, min(l.date) AS oldest,
      group_concat(DISTINCT g.faculty_id) AS faculties
    FROM lessons l JOIN courses c ON c.id = l.course_id JOIN course_teachers ct ON ct.course_id = c.id JOIN users u ON u.id = ct.teacher_id
    JOIN subjects s ON s.id = c.subject_id JOIN departments d ON d.id = s.department_id
    JOIN course_groups cg ON cg.course_id = c.id JOIN groups g ON g.id = cg.group_id
    WHERE c.term_id = ? AND l.cancelled = 0 AND l.date <= ? AND (ct.role = 'lecturer' OR l.group_id IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = l.id)
    GROUP BY ct.teacher_id ORDER BY missing DESC`).all(termId, cutoff) as (CompletenessRow & { faculties: string })[];
  return rows.filter((r) => facultyIds === 'all' || r.faculties.split(',').some((f) => facultyIds.includes(Number(f)))).map(({ faculties: _f, ...r }) => r);
}
