import { inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../store';

export type AuditFilter = { actor?: string; student?: string; courseId?: number; action?: string; from?: string; to?: string; page: number };
export type AuditListRow = {
  id: number; at: number; actorRole: string | null; ip: string | null; action: string; entity: string; before: string | null; after: string | null; reason: string | null;
  actorName: string | null; studentName: string | null; subjectRu: string | null; subjectEn: string | null; courseId: number | null;
  scaleKind: string | null;
};

export const PAGE_SIZE = 50;

const SELECT = sql`SELECT a.id, a.at, a.actor_role AS "actorRole", a.ip, a.action, a.entity, a.before, a.after, a.reason, a.course_id AS "courseId",
      actor.surname || ' ' || actor.given_name AS "actorName", st.surname || ' ' || st.given_name AS "studentName", s.name_ru AS "subjectRu", s.name_en AS "subjectEn", sc.kind AS "scaleKind"
    FROM audit_log a LEFT JOIN users actor ON actor.id = a.actor_id LEFT JOIN users st ON st.id = a.student_id
    LEFT JOIN courses c ON c.id = a.course_id LEFT JOIN subjects s ON s.id = c.subject_id LEFT JOIN scales sc ON sc.id = c.scale_id`;

export async function auditRowById(s: Queryable, id: number): Promise<AuditListRow | undefined> {
  return s.get<AuditListRow>(sql`${SELECT} WHERE a.id = ${id}`);
}

const like = (col: SQL, pattern: string) => sql`lower(${col}) LIKE lower(${pattern})`;

/**
 * The audit trail, filtered. A dean's office sees rows about its faculty's students and courses; rows
 * about no student or course (logins, terms, accounts) only the university administration sees.
 */
export async function searchAudit(s: Queryable, f: AuditFilter, facultyIds: number[] | 'all', limit = PAGE_SIZE): Promise<{ rows: AuditListRow[]; more: boolean }> {
  if (facultyIds !== 'all' && facultyIds.length === 0) return { rows: [], more: false };
  const where: SQL[] = [];
  if (f.actor) where.push(sql`(${like(sql`actor.email`, `%${f.actor}%`)} OR ${like(sql`actor.surname`, `%${f.actor}%`)})`);
  if (f.student) where.push(sql`(${like(sql`st.surname`, `%${f.student}%`)} OR ${like(sql`st.email`, `%${f.student}%`)})`);
  if (f.courseId) where.push(sql`a.course_id = ${f.courseId}`);
  if (f.action) where.push(like(sql`a.action`, `${f.action}%`));
  if (f.from) where.push(sql`a.at >= ${Date.parse(`${f.from}T00:00:00Z`) - 3 * 3600_000}`);
  if (f.to) where.push(sql`a.at < ${Date.parse(`${f.to}T00:00:00Z`) + 21 * 3600_000}`);
  if (facultyIds !== 'all') {
    where.push(sql`(EXISTS (SELECT 1 FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id = a.course_id AND ${inArray(sql`g.faculty_id`, facultyIds)})
      OR EXISTS (SELECT 1 FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = a.student_id AND ${inArray(sql`g.faculty_id`, facultyIds)}))`);
  }
  const rows = await s.all<AuditListRow>(sql`${SELECT}
    ${where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``} ORDER BY a.id DESC LIMIT ${limit + 1} OFFSET ${(f.page - 1) * limit}`);
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

export type NamedIds = { users: number[]; groups: number[]; reasons: number[]; faculties: number[] };
export type IdNames = {
  users: Map<number, string>; groups: Map<number, string>;
  reasons: Map<number, { ru: string; en: string }>; faculties: Map<number, { ru: string; en: string }>;
};

/** The names behind ids an audit row mentions (a teacher, a parent, a group, an absence reason), for showing it in words. */
export async function namesForIds(s: Queryable, ids: NamedIds): Promise<IdNames> {
  const cap = (xs: number[]) => xs.slice(0, 1000);
  const users = ids.users.length ? await s.all<{ id: number; surname: string; givenName: string; patronymic: string | null }>(
    sql`SELECT id, surname, given_name AS "givenName", patronymic FROM users WHERE ${inArray(sql`id`, cap(ids.users))}`) : [];
  const groups = ids.groups.length ? await s.all<{ id: number; name: string }>(sql`SELECT id, name FROM groups WHERE ${inArray(sql`id`, cap(ids.groups))}`) : [];
  const reasons = ids.reasons.length ? await s.all<{ id: number; ru: string; en: string }>(
    sql`SELECT id, name_ru AS ru, name_en AS en FROM absence_reasons WHERE ${inArray(sql`id`, cap(ids.reasons))}`) : [];
  const faculties = ids.faculties.length ? await s.all<{ id: number; ru: string; en: string }>(
    sql`SELECT id, name_ru AS ru, name_en AS en FROM faculties WHERE ${inArray(sql`id`, cap(ids.faculties))}`) : [];
  return {
    users: new Map(users.map((u) => [u.id, [u.surname, u.givenName, u.patronymic].filter(Boolean).join(' ')])),
    groups: new Map(groups.map((g) => [g.id, g.name])),
    reasons: new Map(reasons.map((r) => [r.id, { ru: r.ru, en: r.en }])),
    faculties: new Map(faculties.map((f) => [f.id, { ru: f.ru, en: f.en }])),
  };
}
