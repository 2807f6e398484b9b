import { randomBytes } from 'node:crypto';
import { inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../store';
import { containsFolded, folded, listAgg } from '../sql-dialect';
import { appendAudit } from './audit';
import type { Actor } from './records';
import type { Role } from '../schema';
import { hashToken, deleteUserSessions } from './sessions';

export type Person = { id: number; email: string; surname: string; givenName: string; nameLatin: string | null; patronymic: string | null; disabled: number; roles: string; groupName: string | null };

// The faculties a person is tied to: their groups (past ones too), their departments and admin
// scopes, and for a parent the groups of the children they are linked to. Only a first cut for the
// list: who may see or change whom is server/policy/person.ts's decision on personTies.
/** As a condition on `u`: semi-joins the store plans once, not a list of faculties built per row. */
const tiedToFaculties = (facultyIds: number[]) => sql`(u.id IN (SELECT m.student_id FROM group_memberships m JOIN groups g ON g.id = m.group_id
      WHERE ${inArray(sql`g.faculty_id`, facultyIds)})
    OR u.id IN (SELECT r.user_id FROM user_roles r JOIN departments d ON d.id = r.department_id WHERE ${inArray(sql`d.faculty_id`, facultyIds)})
    OR u.id IN (SELECT r.user_id FROM user_roles r WHERE ${inArray(sql`r.faculty_id`, facultyIds)})
    OR u.id IN (SELECT l.guardian_id FROM guardian_links l JOIN group_memberships m ON m.student_id = l.student_id JOIN groups g ON g.id = m.group_id
      WHERE l.revoked_at IS NULL AND ${inArray(sql`g.faculty_id`, facultyIds)}))`;

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
  return (await personTiesOf(s, [userId])).get(userId);
}

/**
 * The ties of many accounts in a few queries per 500 (the people list checks a whole scope to count it);
 * an id without an account is absent from the map.
 */
export async function personTiesOf(s: Queryable, userIds: number[]): Promise<Map<number, PersonTies>> {
  const out = new Map<number, PersonTies>();
  const ids = [...new Set(userIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const r of await s.all<{ id: number }>(sql`SELECT id FROM users WHERE ${inArray(sql`id`, chunk)}`)) {
      out.set(r.id, { grants: [], memberships: [], children: [] });
    }
    const grants = await s.all<PersonTies['grants'][number] & { userId: number }>(sql`SELECT r.user_id AS "userId", r.role, r.faculty_id AS "facultyId",
        d.faculty_id AS "departmentFacultyId"
      FROM user_roles r LEFT JOIN departments d ON d.id = r.department_id WHERE ${inArray(sql`r.user_id`, chunk)} ORDER BY r.id`);
    for (const { userId, ...g } of grants) out.get(userId)?.grants.push(g);
    const ms = await s.all<{ userId: number; facultyId: number; current: number | boolean }>(sql`SELECT m.student_id AS "userId", g.faculty_id AS "facultyId",
        m.to_date IS NULL AS "current"
      FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE ${inArray(sql`m.student_id`, chunk)} ORDER BY m.id`);
    for (const m of ms) out.get(m.userId)?.memberships.push({ facultyId: m.facultyId, current: !!m.current });
    const cs = await s.all<{ userId: number; studentId: number; facultyId: number; current: number | boolean }>(sql`SELECT l.guardian_id AS "userId",
        l.student_id AS "studentId", g.faculty_id AS "facultyId", m.to_date IS NULL AS "current"
      FROM guardian_links l JOIN group_memberships m ON m.student_id = l.student_id JOIN groups g ON g.id = m.group_id
      WHERE ${inArray(sql`l.guardian_id`, chunk)} AND l.revoked_at IS NULL ORDER BY l.id, m.id`);
    for (const c of cs) out.get(c.userId)?.children.push({ studentId: c.studentId, facultyId: c.facultyId, current: !!c.current });
  }
  return out;
}

export type PeopleFilter = { q: string; role: Role | null; facultyId: number | null; groupId: number | null };
export type PeoplePage = { total: number; rows: Person[] };

/**
 * One page of the people an admin may see, and how many there are in all. The SQL keeps those matching
 * the filter with any tie to the admin's faculties (a cheap first cut); `visible` (the policy's
 * person.view) decides on every candidate, a batch at a time, so the count is the count of what the
 * admin may open; only the page's rows are then read in full.
 */
export async function searchPeople(s: Queryable, f: PeopleFilter, facultyIds: number[] | 'all',
  visible: (userIds: number[]) => Promise<Set<number>>, page: { offset: number; size: number }): Promise<PeoplePage> {
  const where: SQL[] = [];
  if (f.q !== '') {
    where.push(sql`(${containsFolded(s, sql`u.surname`, f.q)} OR ${containsFolded(s, sql`u.given_name`, f.q)}
      OR ${containsFolded(s, sql`u.email`, f.q)} OR ${containsFolded(s, sql`coalesce(u.record_book, '')`, f.q)}
      OR ${containsFolded(s, sql`coalesce(u.name_latin, '')`, f.q)})`);
  }
  if (f.role) where.push(sql`EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = ${f.role})`);
  if (f.groupId !== null) where.push(sql`EXISTS (SELECT 1 FROM group_memberships m WHERE m.student_id = u.id AND m.group_id = ${f.groupId} AND m.to_date IS NULL)`);
  const faculties = f.facultyId === null ? facultyIds : (facultyIds === 'all' || facultyIds.includes(f.facultyId) ? [f.facultyId] : []);
  if (faculties !== 'all' && faculties.length === 0) return { total: 0, rows: [] };
  if (faculties !== 'all') where.push(tiedToFaculties(faculties));
  const candidates = await s.all<{ id: number }>(sql`SELECT u.id FROM users u ${where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
    ORDER BY ${folded(s, sql`u.surname`)}, ${folded(s, sql`u.given_name`)}, u.id`);
  const shown: number[] = [];
  for (let i = 0; i < candidates.length; i += 1000) {
    const batch = candidates.slice(i, i + 1000).map((p) => p.id);
    const seen = await visible(batch);
    for (const id of batch) if (seen.has(id)) shown.push(id);
  }
  const ids = shown.slice(page.offset, page.offset + page.size);
  if (ids.length === 0) return { total: shown.length, rows: [] };
  const rows = await s.all<Person>(sql`SELECT u.id, u.email, u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic,
      u.disabled,
      (SELECT ${listAgg(s, sql`r.role`, ',', { distinct: true })} FROM user_roles r WHERE r.user_id = u.id) AS roles,
      (SELECT g.name FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = u.id AND m.to_date IS NULL LIMIT 1) AS "groupName"
    FROM users u WHERE ${inArray(sql`u.id`, ids)}`);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { total: shown.length, rows: ids.map((id) => byId.get(id)!).filter(Boolean) };
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
