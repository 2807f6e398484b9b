import { prepared, type DB } from '../client';

export type AuditFilter = { actor?: string; student?: string; courseId?: number; action?: string; from?: string; to?: string; page: number };
export type AuditListRow = {
  id: number; at: number; actorRole: string | null; ip: string | null; action: string; entity: string; before: string | null; after: string | null; reason: string | null;
  actorName: string | null; studentName: string | null; subjectRu: string | null; subjectEn: string | null; courseId: number | null;
};

export const PAGE_SIZE = 50;

export function auditRowById(db: DB, id: number): AuditListRow | undefined {
  return prepared(db, `SELECT a.id, a.at, a.actor_role AS actorRole, a.ip, a.action, a.entity, a.before, a.after, a.reason, a.course_id AS courseId,
      actor.surname || ' ' || actor.given_name AS actorName, st.surname || ' ' || st.given_name AS studentName, s.name_ru AS subjectRu, s.name_en AS subjectEn
    FROM audit_log a LEFT JOIN users actor ON actor.id = a.actor_id LEFT JOIN users st ON st.id = a.student_id
    LEFT JOIN courses c ON c.id = a.course_id LEFT JOIN subjects s ON s.id = c.subject_id WHERE a.id = ?`).get(id) as AuditListRow | undefined;
}

/**
 * The audit trail, filtered. A dean's office sees rows about its faculty's students and courses; rows
 * about no student or course (logins, terms, accounts) only the university administration sees.
 */
export function searchAudit(db: DB, f: AuditFilter, facultyIds: number[] | 'all', limit = PAGE_SIZE): { rows: AuditListRow[]; more: boolean } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.actor) { where.push("(actor.email LIKE ? OR actor.surname LIKE ?)"); args.push(`%${f.actor}%`, `%${f.actor}%`); }
  if (f.student) { where.push("(st.surname LIKE ? OR st.email LIKE ?)"); args.push(`%${f.student}%`, `%${f.student}%`); }
  if (f.courseId) { where.push('a.course_id = ?'); args.push(f.courseId); }
  if (f.action) { where.push('a.action LIKE ?'); args.push(`${f.action}%`); }
  if (f.from) { where.push('a.at >= ?'); args.push(Date.parse(`${f.from}T00:00:00Z`) - 3 * 3600_000); }
  if (f.to) { where.push('a.at < ?'); args.push(Date.parse(`${f.to}T00:00:00Z`) + 21 * 3600_000); }
  if (facultyIds !== 'all') {
    const inF = facultyIds.map(() => '?').join(',') || 'NULL';
    where.push(`(EXISTS (SELECT 1 FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id = a.course_id AND g.faculty_id IN (${inF}))
      OR EXISTS (SELECT 1 FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = a.student_id AND g.faculty_id IN (${inF})))`);
    args.push(...facultyIds, ...facultyIds);
  }
  const rows = prepared(db, `SELECT a.id, a.at, a.actor_role AS actorRole, a.ip, a.action, a.entity, a.before, a.after, a.reason, a.course_id AS courseId,
      actor.surname || ' ' || actor.given_name AS actorName, st.surname || ' ' || st.given_name AS studentName, s.name_ru AS subjectRu, s.name_en AS subjectEn
    FROM audit_log a LEFT JOIN users actor ON actor.id = a.actor_id LEFT JOIN users st ON st.id = a.student_id
    LEFT JOIN courses c ON c.id = a.course_id LEFT JOIN subjects s ON s.id = c.subject_id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.id DESC LIMIT ? OFFSET ?`).all(...args, limit + 1, (f.page - 1) * limit) as AuditListRow[];
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}
