import { randomBytes } from 'node:crypto';
import { prepared, inTransaction, type DB } from '../client';
import { appendAuditSync } from './audit';
import type { Actor } from './records';
import type { Role } from '../schema';
import { hashToken, invalidateUserSessions } from '../../server/auth/session';

export type Person = { id: number; email: string; surname: string; givenName: string; patronymic: string | null; disabled: number; roles: string; groupName: string | null; facultyIds: string | null };

// The faculties a person is tied to: their groups (past ones too), their departments and admin
// scopes, and for a parent the groups of the children they are linked to. Only a first cut for the
// list: who may see or change whom is server/policy/person.ts's decision on personTies.
const FACULTIES_OF_U = `(SELECT group_concat(DISTINCT f) FROM (
         SELECT g.faculty_id AS f FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = u.id
         UNION SELECT d.faculty_id FROM user_roles r JOIN departments d ON d.id = r.department_id WHERE r.user_id = u.id
         UNION SELECT r.faculty_id FROM user_roles r WHERE r.user_id = u.id AND r.faculty_id IS NOT NULL
         UNION SELECT g.faculty_id FROM guardian_links l JOIN group_memberships m ON m.student_id = l.student_id JOIN groups g ON g.id = m.group_id
           WHERE l.guardian_id = u.id AND l.revoked_at IS NULL))`;

/** A group membership as a scope fact: its faculty, and whether it is the student's group now. */
export type FacultyTie = { facultyId: number; current: boolean };

/**
 * What ties an account to the faculties, for server/policy/person.ts to decide who manages it: each
 * role grant (with an admin grant's faculty, null for the university, and a teacher's department's
 * faculty), the person's own group memberships, and those of the children they are linked to now.
 */
export type PersonTies = {
  grants: { role: Role; facultyId: number | null; departmentFacultyId: number | null }[];
  memberships: FacultyTie[];
  children: (FacultyTie & { studentId: number })[];
};

export function personTies(db: DB, userId: number): PersonTies | undefined {
  if (!prepared(db, 'SELECT 1 FROM users WHERE id = ?').get(userId)) return undefined;
  const grants = prepared(db, `SELECT r.role, r.faculty_id AS facultyId, d.faculty_id AS departmentFacultyId
    FROM user_roles r LEFT JOIN departments d ON d.id = r.department_id WHERE r.user_id = ?`).all(userId) as PersonTies['grants'];
  const memberships = (prepared(db, `SELECT g.faculty_id AS facultyId, m.to_date IS NULL AS current
    FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = ?`).all(userId) as { facultyId: number; current: number }[])
    .map((m) => ({ facultyId: m.facultyId, current: !!m.current }));
  const children = (prepared(db, `SELECT l.student_id AS studentId, g.faculty_id AS facultyId, m.to_date IS NULL AS current
    FROM guardian_links l JOIN group_memberships m ON m.student_id = l.student_id JOIN groups g ON g.id = m.group_id
    WHERE l.guardian_id = ? AND l.revoked_at IS NULL`).all(userId) as { studentId: number; facultyId: number; current: number }[])
    .map((c) => ({ studentId: c.studentId, facultyId: c.facultyId, current: !!c.current }));
  return { grants, memberships, children };
}

/**
 * People an admin may see, for the list: the SQL keeps those with any tie to the admin's faculties
 * (a cheap first cut), `visible` (the policy's person.view) decides on each of them.
 */
export function searchPeople(db: DB, q: string, facultyIds: number[] | 'all', visible: (userId: number) => boolean, limit = 100): Person[] {
  const rows = prepared(db, `SELECT u.id, u.email, u.surname, u.given_name AS givenName, u.patronymic, u.disabled,
      (SELECT group_concat(DISTINCT r.role) FROM user_roles r WHERE r.user_id = u.id) AS roles,
      (SELECT g.name FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = u.id AND m.to_date IS NULL LIMIT 1) AS groupName,
      ${FACULTIES_OF_U} AS facultyIds
    FROM users u WHERE (? = '' OR u.surname LIKE ? OR u.email LIKE ? OR u.given_name LIKE ?) ORDER BY u.surname, u.given_name LIMIT ?`)
    .all(q, `%${q}%`, `%${q}%`, `%${q}%`, facultyIds === 'all' ? limit + 1 : limit * 20) as Person[];
  const tied = facultyIds === 'all' ? rows : rows.filter((p) => (p.facultyIds ?? '').split(',').some((f) => facultyIds.includes(Number(f))));
  const out: Person[] = [];
  for (const p of tied) {
    if (out.length === limit) break;
    if (visible(p.id)) out.push(p);
  }
  return out;
}

export function setDisabled(db: DB, userId: number, disabled: boolean, reason: string, actor: Actor, now: number): void {
  inTransaction(db, () => {
    prepared(db, 'UPDATE users SET disabled = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?').run(disabled ? 1 : 0, actor.id, now, userId);
    // A disabled account is signed out everywhere at once.
    if (disabled) invalidateUserSessions(db, userId);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: disabled ? 'user.disable' : 'user.enable', entity: 'user', entityId: userId, before: { disabled: !disabled }, after: { disabled }, reason });
  });
}

/** A one-time reset link's token: shown once to the admin, stored hashed, valid for 48 hours. */
export function createPasswordReset(db: DB, userId: number, actor: Actor, now: number): string {
  const token = randomBytes(24).toString('base64url');
  inTransaction(db, () => {
    prepared(db, 'UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL').run(now, userId);
    prepared(db, 'INSERT INTO password_resets (user_id, token_hash, expires_at, created_by) VALUES (?, ?, ?, ?)').run(userId, hashToken(token), now + 48 * 3600_000, actor.id);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'user.reset_link', entity: 'user', entityId: userId });
  });
  return token;
}

export function resetByToken(db: DB, token: string, now: number): { id: number; userId: number } | undefined {
  return prepared(db, 'SELECT id, user_id AS userId FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?').get(hashToken(token), now) as { id: number; userId: number } | undefined;
}

/** Sets the new password, spends the link and ends every session of the account. */
export function completeReset(db: DB, reset: { id: number; userId: number }, passwordHash: string, ip: string | null, now: number): void {
  inTransaction(db, () => {
    prepared(db, 'UPDATE password_resets SET used_at = ? WHERE id = ?').run(now, reset.id);
    prepared(db, 'UPDATE users SET password_hash = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?').run(passwordHash, reset.userId, now, reset.userId);
    invalidateUserSessions(db, reset.userId);
    appendAuditSync(db, { actorId: reset.userId, actorRole: null, ip, at: now, action: 'user.password_reset', entity: 'user', entityId: reset.userId });
  });
}
