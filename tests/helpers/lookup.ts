import type { DB } from '../../db/client';

/** The course of a subject (English name, prefix match) that a group attends, in the current term. */
export function courseOf(db: DB, subjectEnPrefix: string, groupName: string): number {
  const row = db.$client.prepare(`SELECT c.id FROM courses c JOIN subjects s ON s.id = c.subject_id
      JOIN course_groups cg ON cg.course_id = c.id JOIN groups g ON g.id = cg.group_id
      WHERE s.name_en LIKE ? AND g.name = ? ORDER BY c.id LIMIT 1`).get(`${subjectEnPrefix}%`, groupName) as { id: number } | undefined;
  if (!row) throw new Error(`no course ${subjectEnPrefix} for ${groupName}`);
  return row.id;
}

export function studentOfGroup(db: DB, groupName: string, offset = 0, excludeEmail = 'student@demo.test'): number {
  const row = db.$client.prepare(`SELECT u.id FROM users u JOIN group_memberships m ON m.student_id = u.id JOIN groups g ON g.id = m.group_id
      WHERE g.name = ? AND m.to_date IS NULL AND u.email <> ? ORDER BY u.id LIMIT 1 OFFSET ?`).get(groupName, excludeEmail, offset) as { id: number } | undefined;
  if (!row) throw new Error(`no student in ${groupName}`);
  return row.id;
}

export function linkedChild(db: DB, guardianEmail: string): number {
  const row = db.$client.prepare(`SELECT l.student_id AS id FROM guardian_links l JOIN users u ON u.id = l.guardian_id
      WHERE u.email = ? AND l.revoked_at IS NULL ORDER BY l.id LIMIT 1`).get(guardianEmail) as { id: number } | undefined;
  if (!row) throw new Error(`no child of ${guardianEmail}`);
  return row.id;
}

export function groupIdOf(db: DB, name: string): number {
  const row = db.$client.prepare('SELECT id FROM groups WHERE name = ?').get(name) as { id: number } | undefined;
  if (!row) throw new Error(`no group ${name}`);
  return row.id;
}

/** The `n` of a `SELECT count(*) AS n ...`. */
export function countOf(db: DB, sql: string, ...args: unknown[]): number {
  return (db.$client.prepare(sql).get(...args) as { n: number }).n;
}
