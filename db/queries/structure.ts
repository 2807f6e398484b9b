import { prepared, inTransaction, type DB } from '../client';
import { appendAuditSync } from './audit';
import type { Actor } from './records';
import type { Lang } from '../schema';

// Faculties, departments and groups: the frame every journal hangs on. They are created, never
// deleted (records point at them); a dean's office works inside its own faculty.

export type StructureFaculty = {
  id: number; code: string; nameRu: string; nameEn: string;
  departments: { id: number; nameRu: string; nameEn: string; teachers: number; subjects: number }[];
  groups: { id: number; name: string; year: number; language: Lang; programme: string; students: number }[];
};

export function structure(db: DB, facultyIds: number[] | 'all'): StructureFaculty[] {
  const faculties = prepared(db, 'SELECT id, code, name_ru AS nameRu, name_en AS nameEn FROM faculties ORDER BY id').all() as Omit<StructureFaculty, 'departments' | 'groups'>[];
  const departments = prepared(db, `SELECT d.id, d.faculty_id AS facultyId, d.name_ru AS nameRu, d.name_en AS nameEn,
      (SELECT count(DISTINCT r.user_id) FROM user_roles r WHERE r.department_id = d.id AND r.role = 'teacher') AS teachers,
      (SELECT count(*) FROM subjects s WHERE s.department_id = d.id) AS subjects
    FROM departments d ORDER BY d.name_ru`).all() as (StructureFaculty['departments'][number] & { facultyId: number })[];
  const groups = prepared(db, `SELECT g.id, g.faculty_id AS facultyId, g.name, g.year, g.language, g.programme,
      (SELECT count(*) FROM group_memberships m WHERE m.group_id = g.id AND m.to_date IS NULL) AS students
    FROM groups g ORDER BY g.name`).all() as (StructureFaculty['groups'][number] & { facultyId: number })[];
  return faculties
    .filter((f) => facultyIds === 'all' || facultyIds.includes(f.id))
    .map((f) => ({ ...f, departments: departments.filter((d) => d.facultyId === f.id), groups: groups.filter((g) => g.facultyId === f.id) }));
}

const exists = (db: DB, sql: string, ...args: unknown[]) => !!prepared(db, sql).get(...args);

export const facultyCodeTaken = (db: DB, code: string) => exists(db, 'SELECT 1 FROM faculties WHERE lower(code) = lower(?)', code);
export const groupNameTaken = (db: DB, name: string) => exists(db, 'SELECT 1 FROM groups WHERE lower(name) = lower(?)', name);
export const departmentNameTaken = (db: DB, facultyId: number, nameRu: string) => exists(db, 'SELECT 1 FROM departments WHERE faculty_id = ? AND lower(name_ru) = lower(?)', facultyId, nameRu);

/** Inserts one row of the frame and its audit entry together; returns the new id. */
function insertAudited(db: DB, table: 'faculties' | 'departments' | 'groups', row: Record<string, string | number>, actor: Actor, now: number): number {
  return inTransaction(db, () => {
    const cols = Object.keys(row);
    const id = Number(prepared(db, `INSERT INTO ${table} (${cols.join(', ')}, updated_by, updated_at) VALUES (${cols.map(() => '?').join(', ')}, ?, ?)`)
      .run(...Object.values(row), actor.id, now).lastInsertRowid);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: `${table === 'faculties' ? 'faculty' : table.slice(0, -1)}.create`, entity: table === 'faculties' ? 'faculty' : table.slice(0, -1), entityId: id, after: row });
    return id;
  });
}

export const createFaculty = (db: DB, f: { code: string; nameRu: string; nameEn: string }, actor: Actor, now: number) =>
  insertAudited(db, 'faculties', { code: f.code, name_ru: f.nameRu, name_en: f.nameEn }, actor, now);

export const createDepartment = (db: DB, d: { facultyId: number; nameRu: string; nameEn: string }, actor: Actor, now: number) =>
  insertAudited(db, 'departments', { faculty_id: d.facultyId, name_ru: d.nameRu, name_en: d.nameEn }, actor, now);

export const createGroup = (db: DB, g: { facultyId: number; name: string; year: number; language: Lang; programme: string }, actor: Actor, now: number) =>
  insertAudited(db, 'groups', { faculty_id: g.facultyId, name: g.name, year: g.year, language: g.language, programme: g.programme }, actor, now);

/** Terms of one university do not overlap: "the current term" must be one term. */
export function overlappingTerm(db: DB, startsOn: string, endsOn: string): { nameRu: string; nameEn: string } | undefined {
  return prepared(db, 'SELECT name_ru AS nameRu, name_en AS nameEn FROM terms WHERE starts_on <= ? AND ends_on >= ? LIMIT 1').get(endsOn, startsOn) as { nameRu: string; nameEn: string } | undefined;
}

export function createTerm(db: DB, t: { nameRu: string; nameEn: string; startsOn: string; endsOn: string }, actor: Actor, now: number): number {
  return inTransaction(db, () => {
    const id = Number(prepared(db, 'INSERT INTO terms (name_ru, name_en, starts_on, ends_on, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(t.nameRu, t.nameEn, t.startsOn, t.endsOn, actor.id, now).lastInsertRowid);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'term.create', entity: 'term', entityId: id, after: t });
    return id;
  });
}
