import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import { appendAudit } from './audit';
import type { Actor } from './records';
import type { Lang } from '../schema';

// Faculties, departments and groups: the frame every journal hangs on. They are created, never
// deleted (records point at them); a dean's office works inside its own faculty.

export type StructureFaculty = {
  id: number; code: string; nameRu: string; nameEn: string;
  departments: { id: number; nameRu: string; nameEn: string; teachers: number; subjects: number }[];
  groups: { id: number; name: string; year: number; language: Lang; programme: string; students: number }[];
};

export async function structure(s: Queryable, facultyIds: number[] | 'all'): Promise<StructureFaculty[]> {
  const faculties = await s.all<Omit<StructureFaculty, 'departments' | 'groups'>>(sql`SELECT id, code, name_ru AS "nameRu", name_en AS "nameEn" FROM faculties ORDER BY id`);
  const departments = await s.all<StructureFaculty['departments'][number] & { facultyId: number }>(sql`SELECT d.id, d.faculty_id AS "facultyId", d.name_ru AS "nameRu", d.name_en AS "nameEn",
      (SELECT count(DISTINCT r.user_id) FROM user_roles r WHERE r.department_id = d.id AND r.role = 'teacher') AS teachers,
      (SELECT count(*) FROM subjects s WHERE s.department_id = d.id) AS subjects
    FROM departments d ORDER BY d.name_ru`);
  const groups = await s.all<StructureFaculty['groups'][number] & { facultyId: number }>(sql`SELECT g.id, g.faculty_id AS "facultyId", g.name, g.year, g.language, g.programme,
      (SELECT count(*) FROM group_memberships m WHERE m.group_id = g.id AND m.to_date IS NULL) AS students
    FROM groups g ORDER BY g.name`);
  return faculties
    .filter((f) => facultyIds === 'all' || facultyIds.includes(f.id))
    .map((f) => ({ ...f, departments: departments.filter((d) => d.facultyId === f.id), groups: groups.filter((g) => g.facultyId === f.id) }));
}

export async function facultyCodeTaken(s: Queryable, code: string): Promise<boolean> {
  return !!(await s.get(sql`SELECT 1 AS one FROM faculties WHERE lower(code) = lower(${code})`));
}

export async function groupNameTaken(s: Queryable, name: string): Promise<boolean> {
  return !!(await s.get(sql`SELECT 1 AS one FROM groups WHERE lower(name) = lower(${name})`));
}

export async function departmentNameTaken(s: Queryable, facultyId: number, nameRu: string): Promise<boolean> {
  return !!(await s.get(sql`SELECT 1 AS one FROM departments WHERE faculty_id = ${facultyId} AND lower(name_ru) = lower(${nameRu})`));
}

// The tables and columns insertAudited may name: identifiers are never taken from input.
const FRAME = {
  faculties: { entity: 'faculty', columns: ['code', 'name_ru', 'name_en'] },
  departments: { entity: 'department', columns: ['faculty_id', 'name_ru', 'name_en'] },
  groups: { entity: 'group', columns: ['faculty_id', 'name', 'year', 'language', 'programme'] },
} as const;

/** Inserts one row of the frame and its audit entry together; returns the new id. */
async function insertAudited(s: Queryable, table: keyof typeof FRAME, row: Record<string, string | number>, actor: Actor, now: number): Promise<number> {
  const { entity, columns } = FRAME[table];
  const cols = Object.keys(row);
  if (cols.some((c) => !(columns as readonly string[]).includes(c))) throw new Error(`insertAudited: unknown column for ${table}`);
  return s.tx(async (tx) => {
    const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO ${sql.raw(table)} (${sql.raw(cols.join(', '))}, updated_by, updated_at)
      VALUES (${sql.join(cols.map((c) => sql`${row[c]}`), sql`, `)}, ${actor.id}, ${now}) RETURNING id`))!;
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: `${entity}.create`, entity, entityId: id, after: row });
    return id;
  });
}

export const createFaculty = (s: Queryable, f: { code: string; nameRu: string; nameEn: string }, actor: Actor, now: number) =>
  insertAudited(s, 'faculties', { code: f.code, name_ru: f.nameRu, name_en: f.nameEn }, actor, now);

export const createDepartment = (s: Queryable, d: { facultyId: number; nameRu: string; nameEn: string }, actor: Actor, now: number) =>
  insertAudited(s, 'departments', { faculty_id: d.facultyId, name_ru: d.nameRu, name_en: d.nameEn }, actor, now);

export const createGroup = (s: Queryable, g: { facultyId: number; name: string; year: number; language: Lang; programme: string }, actor: Actor, now: number) =>
  insertAudited(s, 'groups', { faculty_id: g.facultyId, name: g.name, year: g.year, language: g.language, programme: g.programme }, actor, now);

/** Terms of one university do not overlap: "the current term" must be one term. */
export async function overlappingTerm(s: Queryable, startsOn: string, endsOn: string): Promise<{ nameRu: string; nameEn: string } | undefined> {
  return s.get<{ nameRu: string; nameEn: string }>(sql`SELECT name_ru AS "nameRu", name_en AS "nameEn" FROM terms WHERE starts_on <= ${endsOn} AND ends_on >= ${startsOn} LIMIT 1`);
}

export async function createTerm(s: Queryable, t: { nameRu: string; nameEn: string; startsOn: string; endsOn: string }, actor: Actor, now: number): Promise<number> {
  return s.tx(async (tx) => {
    const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO terms (name_ru, name_en, starts_on, ends_on, updated_by, updated_at)
      VALUES (${t.nameRu}, ${t.nameEn}, ${t.startsOn}, ${t.endsOn}, ${actor.id}, ${now}) RETURNING id`))!;
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'term.create', entity: 'term', entityId: id, after: t });
    return id;
  });
}
