import { inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import type { users, Role, Lang } from '../schema';
import type { Tx } from '../store';
import { appendAudit } from './audit';

export type User = typeof users.$inferSelect;
export type RoleGrant = { role: Role; facultyId: number | null; departmentId: number | null };
export type CurrentUser = Pick<User, 'id' | 'email' | 'surname' | 'givenName' | 'patronymic' | 'nameLatin' | 'lang' | 'timeZone' | 'lastSeenAt'> & {
  roles: RoleGrant[];
};

const USER_COLUMNS = sql`u.id, u.email, u.password_hash AS "passwordHash", u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic,
  u.record_book AS "recordBook", u.country, u.lang, u.time_zone AS "timeZone", u.disabled, u.notify_muted AS "notifyMuted",
  u.last_seen_at AS "lastSeenAt", u.version, u.updated_by AS "updatedBy", u.updated_at AS "updatedAt"`;

// Written as SQL, not with the query builder: these run on every request (the session's user) and on
// every login, and drizzle builds and maps a builder query afresh each time (about 7x the cost here).
export async function userByEmail(s: Queryable, email: string): Promise<User | undefined> {
  const u = await s.get<User>(sql`SELECT ${USER_COLUMNS} FROM users u WHERE lower(u.email) = ${email.trim().toLowerCase()} LIMIT 1`);
  return u && { ...u, disabled: !!u.disabled };
}

/** The signed-in user with every role grant (one query), or undefined when missing or disabled. */
export async function currentUserById(s: Queryable, id: number): Promise<CurrentUser | undefined> {
  const rows = await s.all<CurrentUser & { disabled: number | boolean; role: Role | null; facultyId: number | null;
    departmentId: number | null }>(sql`SELECT u.id, u.email, u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic, u.lang,
      u.time_zone AS "timeZone", u.last_seen_at AS "lastSeenAt", u.disabled, r.role, r.faculty_id AS "facultyId",
      r.department_id AS "departmentId"
    FROM users u LEFT JOIN user_roles r ON r.user_id = u.id WHERE u.id = ${id} ORDER BY r.id`);
  const u = rows[0];
  if (!u || u.disabled) return undefined;
  return {
    id: u.id, email: u.email, surname: u.surname, givenName: u.givenName, patronymic: u.patronymic, nameLatin: u.nameLatin,
    lang: u.lang, timeZone: u.timeZone, lastSeenAt: u.lastSeenAt,
    roles: rows.filter((r) => r.role !== null).map((r) => ({ role: r.role!, facultyId: r.facultyId, departmentId: r.departmentId })),
  };
}

/** Which of these e-mails have an account (lower-cased), in one query. */
export async function existingEmails(s: Queryable, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const rows = await s.all<{ email: string }>(sql`SELECT lower(email) AS email FROM users
    WHERE ${inArray(sql`lower(email)`, emails.map((e) => e.toLowerCase()))}`);
  return new Set(rows.map((r) => r.email));
}

/** The zone a user reads instants in (the footer names it); audited like every change to an account. */
export async function setTimeZone(s: Queryable, userId: number, tz: string, ip: string, now: number): Promise<void> {
  await s.tx(async (tx) => {
    const before = await tx.get<{ tz: string; version: number }>(sql`SELECT time_zone AS tz, version FROM users WHERE id = ${userId}`);
    if (!before || before.tz === tz) return;
    await tx.run(sql`UPDATE users SET time_zone = ${tz}, version = ${before.version + 1}, updated_by = ${userId}, updated_at = ${now} WHERE id = ${userId}`);
    await appendAudit(tx, { actorId: userId, actorRole: null, ip, at: now, action: 'user.update', entity: 'user', entityId: userId, before: { tz: before.tz }, after: { tz } });
  });
}

/** The full row of one user (the account page checks the current password against it). */
export async function userById(s: Queryable, id: number): Promise<User | undefined> {
  const u = await s.get<User>(sql`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ${id}`);
  return u && { ...u, disabled: !!u.disabled };
}

/** The id of the faculty with this code (a CLI argument), if there is one. */
export async function facultyIdByCode(s: Queryable, code: string): Promise<number | undefined> {
  return (await s.get<{ id: number }>(sql`SELECT id FROM faculties WHERE code = ${code}`))?.id;
}

export type NewAccount = { email: string; passwordHash: string; surname: string; givenName: string;
  patronymic: string | null; lang: Lang; role: Role; facultyId: number | null };

/** A user with one role grant; the caller appends the audit row in the same transaction. */
export async function insertAccount(tx: Tx, a: NewAccount): Promise<{ id: number; email: string }> {
  const u = (await tx.get<{ id: number; email: string }>(sql`INSERT INTO users (email, password_hash, surname, given_name,
    patronymic, lang) VALUES (${a.email.toLowerCase()}, ${a.passwordHash}, ${a.surname}, ${a.givenName}, ${a.patronymic},
    ${a.lang}) RETURNING id, email`))!;
  await tx.run(sql`INSERT INTO user_roles (user_id, role, faculty_id) VALUES (${u.id}, ${a.role}, ${a.facultyId})`);
  return u;
}

/** A new password hash, the version moved on (sessions and the audit row are the caller's). */
export async function setPasswordHash(tx: Tx, userId: number, hash: string, now: number): Promise<void> {
  await tx.run(sql`UPDATE users SET password_hash = ${hash}, version = version + 1, updated_by = ${userId},
    updated_at = ${now} WHERE id = ${userId}`);
}

/** The user's interface language; returns the one it replaced (undefined for a missing user). */
export async function setUserLang(tx: Tx, userId: number, lang: Lang, now: number): Promise<Lang | undefined> {
  const before = await tx.get<{ lang: Lang }>(sql`SELECT lang FROM users WHERE id = ${userId}`);
  if (!before) return undefined;
  await tx.run(sql`UPDATE users SET lang = ${lang}, version = version + 1, updated_by = ${userId}, updated_at = ${now}
    WHERE id = ${userId}`);
  return before.lang;
}
