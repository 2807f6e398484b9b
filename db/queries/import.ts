// The roster import's reads and writes: groups by name, who already exists, and new students enrolled.
import { inArray, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../store';
import { appendAudit } from './audit';

export async function groupsWithFaculty(s: Queryable): Promise<{ id: number; name: string; facultyId: number }[]> {
  return s.all(sql`SELECT id, name, faculty_id AS "facultyId" FROM groups`);
}

export type ExistingAccount = { userId: number; name: string; email: string; groupName: string | null };

const ACCOUNT = sql`SELECT u.id AS "userId", u.surname, u.given_name AS "givenName", u.patronymic, lower(u.email) AS email,
    u.record_book AS "recordBook",
    (SELECT g.name FROM group_memberships m JOIN groups g ON g.id = m.group_id
      WHERE m.student_id = u.id AND m.to_date IS NULL LIMIT 1) AS "groupName"
  FROM users u`;
type AccountRow = { userId: number; surname: string; givenName: string; patronymic: string | null; email: string; recordBook: string | null; groupName: string | null };
const toAccount = (r: AccountRow): ExistingAccount => ({
  userId: r.userId, name: [r.surname, r.givenName, r.patronymic].filter(Boolean).join(' '), email: r.email, groupName: r.groupName,
});

/** Each existing account among the e-mails (who, and their current group or null), keyed by lower-cased e-mail. */
export async function existingAccounts(s: Queryable, emails: string[]): Promise<Map<string, ExistingAccount>> {
  const wanted = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  const out = new Map<string, ExistingAccount>();
  for (let i = 0; i < wanted.length; i += 500) {
    const chunk = wanted.slice(i, i + 500);
    const rows = await s.all<AccountRow>(sql`${ACCOUNT} WHERE ${inArray(sql`lower(u.email)`, chunk)}`);
    for (const r of rows) out.set(r.email, toAccount(r));
  }
  return out;
}

/**
 * Who holds each of these record-book numbers already. A database with two holders of one number (from
 * before numbers were checked) names the first: either way the row is a clash.
 */
export async function recordBookOwners(s: Queryable, numbers: string[]): Promise<Map<string, ExistingAccount>> {
  const wanted = [...new Set(numbers.map((n) => n.trim()).filter(Boolean))];
  const out = new Map<string, ExistingAccount>();
  for (let i = 0; i < wanted.length; i += 500) {
    const chunk = wanted.slice(i, i + 500);
    const rows = await s.all<AccountRow>(sql`${ACCOUNT} WHERE ${inArray(sql`u.record_book`, chunk)} ORDER BY u.id`);
    for (const r of rows) if (r.recordBook && !out.has(r.recordBook)) out.set(r.recordBook, toAccount(r));
  }
  return out;
}

export type ImportedStudent = {
  email: string; surname: string; givenName: string; patronymic: string | null; recordBook: string | null; lang: string;
  nameLatin: string | null; groupId: number; group: string;
};

/** One new student: account, student role, membership from `fromDate`, and the audit row, in the caller's transaction. */
export async function createImportedStudent(tx: Tx, v: ImportedStudent, fromDate: string,
  actor: { id: number; role: string; ip: string | null }, now: number): Promise<number> {
  const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO users (email, surname, given_name, patronymic, name_latin, record_book, lang,
      updated_by, updated_at)
    VALUES (${v.email.toLowerCase()}, ${v.surname}, ${v.givenName}, ${v.patronymic}, ${v.nameLatin}, ${v.recordBook}, ${v.lang}, ${actor.id}, ${now})
    RETURNING id`))!;
  await tx.run(sql`INSERT INTO user_roles (user_id, role, updated_by, updated_at) VALUES (${id}, 'student', ${actor.id}, ${now})`);
  await tx.run(sql`INSERT INTO group_memberships (student_id, group_id, from_date, updated_by, updated_at)
    VALUES (${id}, ${v.groupId}, ${fromDate}, ${actor.id}, ${now})`);
  await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'user.create', entity: 'user',
    entityId: id, studentId: id, after: { email: v.email, group: v.group, via: 'import' } });
  return id;
}
