// The few lookups the printable group journal needs beyond loadJournal (which works per course).
import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';

export type PrintGroup = { id: number; name: string; facultyId: number; facultyRu: string; facultyEn: string };

export async function groupWithFaculty(s: Queryable, groupId: number): Promise<PrintGroup | undefined> {
  return s.get<PrintGroup>(sql`SELECT g.id, g.name, g.faculty_id AS "facultyId", f.name_ru AS "facultyRu", f.name_en AS "facultyEn"
    FROM groups g JOIN faculties f ON f.id = g.faculty_id WHERE g.id = ${groupId}`);
}

/** The courses a group takes in a term, by subject name so the printout has a stable order. */
export async function groupCourseIds(s: Queryable, groupId: number, termId: number, lang: 'ru' | 'en'): Promise<number[]> {
  const rows = await s.all<{ id: number }>(sql`SELECT c.id FROM course_groups cg JOIN courses c ON c.id = cg.course_id JOIN subjects s ON s.id = c.subject_id
    WHERE cg.group_id = ${groupId} AND c.term_id = ${termId} ORDER BY ${lang === 'ru' ? sql`s.name_ru` : sql`s.name_en`}, c.id`);
  return rows.map((r) => r.id);
}

export type TermRow = { id: number; nameRu: string; nameEn: string; startsOn: string; endsOn: string };

export async function termsForPrint(s: Queryable): Promise<TermRow[]> {
  return s.all<TermRow>(sql`SELECT id, name_ru AS "nameRu", name_en AS "nameEn", starts_on AS "startsOn", ends_on AS "endsOn" FROM terms ORDER BY starts_on DESC`);
}
