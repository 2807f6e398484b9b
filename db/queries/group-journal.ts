// The few lookups the printable group journal needs beyond loadJournal (which works per course).
import { prepared, type DB } from '../client';

export type PrintGroup = { id: number; name: string; facultyId: number; facultyRu: string; facultyEn: string };

export function groupWithFaculty(db: DB, groupId: number): PrintGroup | undefined {
  return prepared(db, `SELECT g.id, g.name, g.faculty_id AS facultyId, f.name_ru AS facultyRu, f.name_en AS facultyEn
    FROM groups g JOIN faculties f ON f.id = g.faculty_id WHERE g.id = ?`).get(groupId) as PrintGroup | undefined;
}

/** The courses a group takes in a term, by subject name so the printout has a stable order. */
export function groupCourseIds(db: DB, groupId: number, termId: number, lang: 'ru' | 'en'): number[] {
  const rows = prepared(db, `SELECT c.id FROM course_groups cg JOIN courses c ON c.id = cg.course_id JOIN subjects s ON s.id = c.subject_id
    WHERE cg.group_id = ? AND c.term_id = ? ORDER BY ${lang === 'ru' ? 's.name_ru' : 's.name_en'}, c.id`).all(groupId, termId) as { id: number }[];
  return rows.map((r) => r.id);
}

export type TermRow = { id: number; nameRu: string; nameEn: string; startsOn: string; endsOn: string };

export function termsForPrint(db: DB): TermRow[] {
  return prepared(db, 'SELECT id, name_ru AS nameRu, name_en AS nameEn, starts_on AS startsOn, ends_on AS endsOn FROM terms ORDER BY starts_on DESC').all() as TermRow[];
}
