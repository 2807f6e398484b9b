import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../store';
import { appendAudit } from './audit';
import type { Actor } from './records';
import type { Lang, LinkScope, Role } from '../schema';

// What a dean's office changes about a person: details, role grants, dated group membership and
// guardian links it records on the family's behalf. Every change is one transaction with its audit row.

export type PersonDetails = { id: number; email: string; surname: string; givenName: string; patronymic: string | null;
  nameLatin: string | null; recordBook: string | null; country: string | null; lang: Lang; disabled: number; version: number };
export type RoleRow = { id: number; role: Role; facultyId: number | null; departmentId: number | null; facultyRu: string | null; facultyEn: string | null; departmentRu: string | null; departmentEn: string | null };
export type MembershipRow = { id: number; groupId: number; groupName: string; facultyId: number; fromDate: string; toDate: string | null };

export async function personDetails(s: Queryable, id: number): Promise<PersonDetails | undefined> {
  return s.get<PersonDetails>(sql`SELECT id, email, surname, given_name AS "givenName", patronymic, name_latin AS "nameLatin",
    record_book AS "recordBook", country, lang, disabled, version
    FROM users WHERE id = ${id}`);
}

export async function rolesOf(s: Queryable, userId: number): Promise<RoleRow[]> {
  return s.all<RoleRow>(sql`SELECT r.id, r.role, r.faculty_id AS "facultyId", r.department_id AS "departmentId", f.name_ru AS "facultyRu", f.name_en AS "facultyEn",
      d.name_ru AS "departmentRu", d.name_en AS "departmentEn"
    FROM user_roles r LEFT JOIN faculties f ON f.id = r.faculty_id LEFT JOIN departments d ON d.id = r.department_id WHERE r.user_id = ${userId} ORDER BY r.id`);
}

export async function membershipsOf(s: Queryable, studentId: number): Promise<MembershipRow[]> {
  return s.all<MembershipRow>(sql`SELECT m.id, m.group_id AS "groupId", g.name AS "groupName", g.faculty_id AS "facultyId", m.from_date AS "fromDate", m.to_date AS "toDate"
    FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = ${studentId} ORDER BY m.from_date, m.id`);
}

export type NewPerson = { email: string; surname: string; givenName: string; patronymic: string | null; recordBook: string | null; country: string | null; lang: Lang;
  /** The name in Latin script as in the passport; absent: none for a new account, unchanged for an update. */
  nameLatin?: string | null };

export async function emailTaken(s: Queryable, email: string, exceptId = 0): Promise<boolean> {
  return !!(await s.get(sql`SELECT 1 AS one FROM users WHERE lower(email) = lower(${email}) AND id <> ${exceptId}`));
}

/** Who else holds this record-book number (the first, if an old database holds it twice), or null. */
export async function recordBookHolder(s: Queryable, recordBook: string | null, exceptId = 0): Promise<{ name: string; email: string } | null> {
  if (!recordBook) return null;
  const row = await s.get<{ surname: string; givenName: string; email: string }>(sql`SELECT surname, given_name AS "givenName", email FROM users
    WHERE record_book = ${recordBook} AND id <> ${exceptId} ORDER BY id LIMIT 1`);
  return row ? { name: `${row.surname} ${row.givenName}`, email: row.email } : null;
}

/** A new account without a password: the person sets one through a one-time link. */
export async function createPerson(s: Queryable, p: NewPerson, actor: Actor, now: number): Promise<number> {
  return s.tx(async (tx) => {
    const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO users (email, surname, given_name, patronymic, name_latin, record_book, country, lang,
      updated_by, updated_at)
      VALUES (${p.email}, ${p.surname}, ${p.givenName}, ${p.patronymic}, ${p.nameLatin ?? null}, ${p.recordBook}, ${p.country}, ${p.lang}, ${actor.id},
      ${now}) RETURNING id`))!;
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'user.create', entity: 'user', entityId: id,
      after: { ...p, nameLatin: p.nameLatin ?? null } });
    return id;
  });
}

/** Saves the details if nobody changed them since the form was loaded; false on a stale version. */
export async function updatePerson(s: Queryable, id: number, version: number, p: NewPerson, actor: Actor, now: number): Promise<boolean> {
  return s.tx(async (tx) => {
    const before = await personDetails(tx, id);
    if (!before || before.version !== version) return false;
    // A form without the field (older than it) keeps the recorded Latin name; a blank one clears it.
    const nameLatin = p.nameLatin === undefined ? before.nameLatin : p.nameLatin;
    await tx.run(sql`UPDATE users SET email = ${p.email}, surname = ${p.surname}, given_name = ${p.givenName}, patronymic = ${p.patronymic},
      name_latin = ${nameLatin}, record_book = ${p.recordBook}, country = ${p.country}, lang = ${p.lang}, version = version + 1, updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${id}`);
    const { id: _i, version: _v, disabled: _d, ...old } = before;
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'user.update', entity: 'user', entityId: id, before: old, after: { ...p, nameLatin } });
    return true;
  });
}

export async function grantRole(s: Queryable, userId: number, g: { role: Role; facultyId: number | null; departmentId: number | null }, actor: Actor, now: number): Promise<void> {
  await s.tx(async (tx) => {
    const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO user_roles (user_id, role, faculty_id, department_id, updated_by, updated_at)
      VALUES (${userId}, ${g.role}, ${g.facultyId}, ${g.departmentId}, ${actor.id}, ${now}) RETURNING id`))!;
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'role.grant', entity: 'user_role', entityId: id, after: { userId, ...g } });
  });
}

/** `col = value`, or `col IS NULL` for null (PostgreSQL has no `IS ?` with a bound value). */
const sameAs = (col: SQL, v: number | null) => (v === null ? sql`${col} IS NULL` : sql`${col} = ${v}`);

export async function hasGrant(s: Queryable, userId: number, g: { role: Role; facultyId: number | null; departmentId: number | null }): Promise<boolean> {
  return !!(await s.get(sql`SELECT 1 AS one FROM user_roles WHERE user_id = ${userId} AND role = ${g.role}
    AND ${sameAs(sql`faculty_id`, g.facultyId)} AND ${sameAs(sql`department_id`, g.departmentId)}`));
}

/** Withdraws a grant; a role held through another grant stays. The person's sessions re-read roles on each request. */
export async function revokeRole(s: Queryable, userId: number, roleId: number, reason: string, actor: Actor, now: number): Promise<boolean> {
  return s.tx(async (tx) => {
    const row = await tx.get<{ id: number; role: Role; facultyId: number | null; departmentId: number | null }>(sql`SELECT id, role, faculty_id AS "facultyId",
      department_id AS "departmentId" FROM user_roles WHERE id = ${roleId} AND user_id = ${userId}`);
    if (!row) return false;
    await tx.run(sql`DELETE FROM user_roles WHERE id = ${roleId}`);
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'role.revoke', entity: 'user_role', entityId: roleId, before: { userId, role: row.role, facultyId: row.facultyId, departmentId: row.departmentId }, reason });
    return true;
  });
}

export type MoveResult = 'ok' | 'tooEarly' | 'sameGroup' | 'notInGroup';

/**
 * Dated transfer: the open membership ends the day before `fromDate` and a new one starts on it, so
 * journals keep showing the student where they were on each lesson's date. `groupId` null ends the
 * membership (expulsion, graduation, academic leave) without a new group.
 */
export async function moveStudent(s: Queryable, studentId: number, groupId: number | null, fromDate: string, reason: string, actor: Actor, now: number): Promise<MoveResult> {
  return s.tx(async (tx): Promise<MoveResult> => {
    const open = await tx.get<{ id: number; groupId: number; fromDate: string }>(sql`SELECT id, group_id AS "groupId", from_date AS "fromDate"
      FROM group_memberships WHERE student_id = ${studentId} AND to_date IS NULL`);
    if (!open && groupId === null) return 'notInGroup';
    if (open && open.groupId === groupId) return 'sameGroup';
    if (open && fromDate <= open.fromDate) return 'tooEarly';
    if (open) {
      const dayBefore = new Date(Date.parse(`${fromDate}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      await tx.run(sql`UPDATE group_memberships SET to_date = ${dayBefore}, version = version + 1, updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${open.id}`);
    }
    let newId: number | null = null;
    if (groupId !== null) {
      newId = (await tx.get<{ id: number }>(sql`INSERT INTO group_memberships (student_id, group_id, from_date, updated_by, updated_at)
        VALUES (${studentId}, ${groupId}, ${fromDate}, ${actor.id}, ${now}) RETURNING id`))!.id;
      if (!(await tx.get(sql`SELECT 1 AS one FROM user_roles WHERE user_id = ${studentId} AND role = 'student'`))) {
        await tx.run(sql`INSERT INTO user_roles (user_id, role, updated_by, updated_at) VALUES (${studentId}, 'student', ${actor.id}, ${now})`);
      }
    }
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: open ? (groupId === null ? 'membership.end' : 'membership.transfer') : 'membership.enrol', entity: 'group_membership', entityId: newId ?? open!.id, studentId,
      before: open ? { groupId: open.groupId } : null, after: { groupId, fromDate }, reason });
    return 'ok';
  });
}

/**
 * A link the dean's office records from a paper consent (a parent who cannot redeem a code): the note
 * says what the consent is, e.g. "written consent of 12.09, reg. no. 114".
 */
export async function recordGuardianLink(s: Queryable, studentId: number, guardianId: number, scope: LinkScope, consentNote: string, actor: Actor, now: number): Promise<number> {
  return s.tx(async (tx) => {
    await tx.run(sql`UPDATE guardian_links SET revoked_at = ${now}, revoked_by = ${actor.id}, version = version + 1
      WHERE guardian_id = ${guardianId} AND student_id = ${studentId} AND revoked_at IS NULL`);
    const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO guardian_links (guardian_id, student_id, scope, consent, consent_note, consented_at, updated_by, updated_at)
      VALUES (${guardianId}, ${studentId}, ${scope}, 'dean_recorded', ${consentNote}, ${now}, ${actor.id}, ${now}) RETURNING id`))!;
    if (!(await tx.get(sql`SELECT 1 AS one FROM user_roles WHERE user_id = ${guardianId} AND role = 'guardian'`))) {
      await tx.run(sql`INSERT INTO user_roles (user_id, role, updated_by, updated_at) VALUES (${guardianId}, 'guardian', ${actor.id}, ${now})`);
    }
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'guardian_link.create', entity: 'guardian_link', entityId: id, studentId, after: { guardianId, scope, consent: 'dean_recorded', consentNote } });
    return id;
  });
}

export type Choice = { id: number; facultyId: number; label: string; labelEn: string };

/** The groups and departments a form may offer, already limited to the admin's faculties. */
export async function groupChoices(s: Queryable, facultyIds: number[] | 'all'): Promise<Choice[]> {
  const rows = await s.all<Choice>(sql`SELECT id, faculty_id AS "facultyId", name AS label, name AS "labelEn" FROM groups ORDER BY name`);
  return facultyIds === 'all' ? rows : rows.filter((r) => facultyIds.includes(r.facultyId));
}

export async function departmentChoices(s: Queryable, facultyIds: number[] | 'all'): Promise<Choice[]> {
  const rows = await s.all<Choice>(sql`SELECT id, faculty_id AS "facultyId", name_ru AS label, name_en AS "labelEn" FROM departments ORDER BY name_ru`);
  return facultyIds === 'all' ? rows : rows.filter((r) => facultyIds.includes(r.facultyId));
}

export async function facultyChoices(s: Queryable, facultyIds: number[] | 'all'): Promise<Choice[]> {
  const rows = await s.all<Choice>(sql`SELECT id, id AS "facultyId", name_ru AS label, name_en AS "labelEn" FROM faculties ORDER BY id`);
  return facultyIds === 'all' ? rows : rows.filter((r) => facultyIds.includes(r.facultyId));
}

export async function childrenOf(s: Queryable, guardianId: number): Promise<{ id: number; surname: string; givenName: string; nameLatin: string | null; patronymic: string | null; scope: LinkScope }[]> {
  return s.all<{ id: number; surname: string; givenName: string; nameLatin: string | null; patronymic: string | null; scope: LinkScope }>(sql`SELECT u.id, u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic, l.scope
    FROM guardian_links l JOIN users u ON u.id = l.student_id WHERE l.guardian_id = ${guardianId} AND l.revoked_at IS NULL ORDER BY u.surname`);
}
