import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import { listAgg } from '../sql-dialect';
import { appendAudit } from './audit';
import type { Actor } from './records';
import type { Role } from '../schema';
import { hashToken, deleteUserSessions } from './sessions';

export type Person = { id: number; email: string; surname: string; givenName: string; patronymic: string | null; disabled: number; roles: string; groupName: string | null; facultyIds: string | null };

// The faculties a person is tied to: their groups (past ones too), their departments and admin
// scopes, and for a parent the groups of the children they are linked to. Only a first cut for the
// list: who may see or change whom is server/policy/person.ts's decision on personTies.
const facultiesOfU = (s: Queryable) => sql`(SELECT ${listAgg(s, sql`t.f`, ',', { distinct: true })} FROM (
         SELECT g.faculty_id AS f FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = u.id
         UNION SELECT d.faculty_id FROM user_roles r JOIN departments d ON d.id = r.department_id WHERE r.user_id = u.id
         UNION SELECT r.faculty_id FROM user_roles r WHERE r.user_id = u.id AND r.faculty_id IS NOT NULL
         UNION SELECT g.faculty_id FROM guardian_links l JOIN group_memberships m ON m.student_id = l.student_id JOIN groups g ON g.id = m.group_id
           WHERE l.guardian_id = u.id AND l.revoked_at IS NULL) t)`;

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

export async function personTies(s: Queryable, userId: number): Promise<PersonTies | undefined> {
  if (!(await s.get(sql`SELECT 1 AS one FROM users WHERE id = ${userId}`))) return undefined;
  const grants = await s.all<PersonTies['grants'][number]>(sql`SELECT r.role, r.faculty_id AS "facultyId", d.faculty_id AS "departmentFacultyId"
    FROM user_roles r LEFT JOIN departments d ON d.id = r.department_id WHERE r.user_id = ${userId}`);
  const memberships = (await s.all<{ facultyId: number; current: number | boolean }>(sql`SELECT g.faculty_id AS "facultyId", m.to_date IS NULL AS "current"
    FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = ${userId}`))
    .map((m) => ({ facultyId: m.facultyId, current: !!m.current }));
  const children = (await s.all<{ studentId: number; facultyId: number; current: number | boolean }>(sql`SELECT l.student_id AS "studentId", g.faculty_id AS "facultyId", m.to_date IS NULL AS "current"
    FROM guardian_links l JOIN group_memberships m ON m.student_id = l.student_id JOIN groups g ON g.id = m.group_id
    WHERE l.guardian_id = ${userId} AND l.revoked_at IS NULL`))
    .map((c) => ({ studentId: c.studentId, facultyId: c.facultyId, current: !!c.current }));
  return { grants, memberships, children };
}

/**
 * People an admin may see, for the list: the SQL keeps those with any tie to the admin's faculties
 * (a cheap first cut), `visible` (the policy's person.view) decides on them, a page at a time, until
 * the list is full.
 */
export async function searchPeople(
  s: Queryable, q: string, facultyIds: number[] | 'all', visible: (userIds: number[]) => Promise<Set<number>>, limit = 100,
): Promise<Person[]> {
  const pattern = `%${q}%`;
  const match = q === '' ? sql`` : sql`WHERE (lower(u.surname) LIKE lower(${pattern}) OR lower(u.email) LIKE lower(${pattern}) OR lower(u.given_name) LIKE lower(${pattern}))`;
  const rows = await s.all<Person>(sql`SELECT u.id, u.email, u.surname, u.given_name AS "givenName", u.patronymic, u.disabled,
      (SELECT ${listAgg(s, sql`r.role`, ',', { distinct: true })} FROM user_roles r WHERE r.user_id = u.id) AS roles,
      (SELECT g.name FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = u.id AND m.to_date IS NULL LIMIT 1) AS "groupName",
      ${facultiesOfU(s)} AS "facultyIds"
    FROM users u ${match} ORDER BY u.surname, u.given_name LIMIT ${facultyIds === 'all' ? limit + 1 : limit * 20}`);
  const tied = facultyIds === 'all' ? rows : rows.filter((p) => (p.facultyIds ?? '').split(',').some((f) => facultyIds.includes(Number(f))));
  const out: Person[] = [];
  for (let i = 0; i < tied.length && out.length < limit; i += limit) {
    const batch = tied.slice(i, i + limit);
    const seen = await visible(batch.map((p) => p.id));
    for (const p of batch) {
      if (out.length === limit) break;
      if (seen.has(p.id)) out.push(p);
    }
  }
  return out;
}

export async function setDisabled(s: Queryable, userId: number, disabled: boolean, reason: string, actor: Actor, now: number): Promise<void> {
  await s.tx(async (tx) => {
    await tx.run(sql`UPDATE users SET disabled = ${disabled}, version = version + 1, updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${userId}`);
    // A disabled account is signed out everywhere at once.
    if (disabled) await deleteUserSessions(tx, userId);
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: disabled ? 'user.disable' : 'user.enable', entity: 'user', entityId: userId, before: { disabled: !disabled }, after: { disabled }, reason });
  });
}

/** A one-time reset link's token: shown once to the admin, stored hashed, valid for 48 hours. */
export async function createPasswordReset(s: Queryable, userId: number, actor: Actor, now: number): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await s.tx(async (tx) => {
    await tx.run(sql`UPDATE password_resets SET used_at = ${now} WHERE user_id = ${userId} AND used_at IS NULL`);
    await tx.run(sql`INSERT INTO password_resets (user_id, token_hash, expires_at, created_by) VALUES (${userId}, ${hashToken(token)}, ${now + 48 * 3600_000}, ${actor.id})`);
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'user.reset_link', entity: 'user', entityId: userId });
  });
  return token;
}

export async function resetByToken(s: Queryable, token: string, now: number): Promise<{ id: number; userId: number } | undefined> {
  return s.get<{ id: number; userId: number }>(sql`SELECT id, user_id AS "userId" FROM password_resets WHERE token_hash = ${hashToken(token)} AND used_at IS NULL AND expires_at > ${now}`);
}

/**
 * Sets the new password, spends the link and ends every session of the account; false when the link was
 * spent (or expired) meanwhile: argon2 runs between the look-up and this call, and two submissions of the
 * same link must not both set a password.
 */
export async function completeReset(s: Queryable, reset: { id: number; userId: number }, passwordHash: string, ip: string | null,
  now: number): Promise<boolean> {
  return s.tx(async (tx) => {
    const spent = await tx.run(sql`UPDATE password_resets SET used_at = ${now}
      WHERE id = ${reset.id} AND used_at IS NULL AND expires_at > ${now}`);
    if (spent.changes === 0) return false;
    await tx.run(sql`UPDATE users SET password_hash = ${passwordHash}, version = version + 1, updated_by = ${reset.userId},
      updated_at = ${now} WHERE id = ${reset.userId}`);
    await deleteUserSessions(tx, reset.userId);
    await appendAudit(tx, { actorId: reset.userId, actorRole: null, ip, at: now, action: 'user.password_reset', entity: 'user',
      entityId: reset.userId });
    return true;
  });
}
