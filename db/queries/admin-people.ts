import { prepared, inTransaction, type DB } from '../client';
import { appendAuditSync } from './audit';
import type { Actor } from './records';
import type { Lang, LinkScope, Role } from '../schema';

// What a dean's office changes about a person: details, role grants, dated group membership and
// guardian links it records on the family's behalf. Every change is one transaction with its audit row.

export type PersonDetails = { id: number; email: string; surname: string; givenName: string; patronymic: string | null; recordBook: string | null; country: string | null; lang: Lang; disabled: number; version: number };
export type RoleRow = { id: number; role: Role; facultyId: number | null; departmentId: number | null; facultyRu: string | null; facultyEn: string | null; departmentRu: string | null; departmentEn: string | null };
export type MembershipRow = { id: number; groupId: number; groupName: string; facultyId: number; fromDate: string; toDate: string | null };

export function personDetails(db: DB, id: number): PersonDetails | undefined {
  return prepared(db, `SELECT id, email, surname, given_name AS givenName, patronymic, record_book AS recordBook, country, lang, disabled, version FROM users WHERE id = ?`).get(id) as PersonDetails | undefined;
}

export function rolesOf(db: DB, userId: number): RoleRow[] {
  return prepared(db, `SELECT r.id, r.role, r.faculty_id AS facultyId, r.department_id AS departmentId, f.name_ru AS facultyRu, f.name_en AS facultyEn, d.name_ru AS departmentRu, d.name_en AS departmentEn
    FROM user_roles r LEFT JOIN faculties f ON f.id = r.faculty_id LEFT JOIN departments d ON d.id = r.department_id WHERE r.user_id = ? ORDER BY r.id`).all(userId) as RoleRow[];
}

export function membershipsOf(db: DB, studentId: number): MembershipRow[] {
  return prepared(db, `SELECT m.id, m.group_id AS groupId, g.name AS groupName, g.faculty_id AS facultyId, m.from_date AS fromDate, m.to_date AS toDate
    FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = ? ORDER BY m.from_date, m.id`).all(studentId) as MembershipRow[];
}

export type NewPerson = { email: string; surname: string; givenName: string; patronymic: string | null; recordBook: string | null; country: string | null; lang: Lang };

export function emailTaken(db: DB, email: string, exceptId = 0): boolean {
  return !!prepared(db, 'SELECT 1 FROM users WHERE lower(email) = lower(?) AND id <> ?').get(email, exceptId);
}

/** A new account without a password: the person sets one through a one-time link. */
export function createPerson(db: DB, p: NewPerson, actor: Actor, now: number): number {
  return inTransaction(db, () => {
    const id = Number(prepared(db, `INSERT INTO users (email, surname, given_name, patronymic, record_book, country, lang, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(p.email, p.surname, p.givenName, p.patronymic, p.recordBook, p.country, p.lang, actor.id, now).lastInsertRowid);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'user.create', entity: 'user', entityId: id, after: p });
    return id;
  });
}

/** Saves the details if nobody changed them since the form was loaded; false on a stale version. */
export function updatePerson(db: DB, id: number, version: number, p: NewPerson, actor: Actor, now: number): boolean {
  return inTransaction(db, () => {
    const before = personDetails(db, id);
    if (!before || before.version !== version) return false;
    prepared(db, `UPDATE users SET email = ?, surname = ?, given_name = ?, patronymic = ?, record_book = ?, country = ?, lang = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?`)
      .run(p.email, p.surname, p.givenName, p.patronymic, p.recordBook, p.country, p.lang, actor.id, now, id);
    const { id: _i, version: _v, disabled: _d, ...old } = before;
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'user.update', entity: 'user', entityId: id, before: old, after: p });
    return true;
  });
}

export function grantRole(db: DB, userId: number, g: { role: Role; facultyId: number | null; departmentId: number | null }, actor: Actor, now: number): void {
  inTransaction(db, () => {
    const id = Number(prepared(db, 'INSERT INTO user_roles (user_id, role, faculty_id, department_id, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(userId, g.role, g.facultyId, g.departmentId, actor.id, now).lastInsertRowid);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'role.grant', entity: 'user_role', entityId: id, after: { userId, ...g } });
  });
}

export function hasGrant(db: DB, userId: number, g: { role: Role; facultyId: number | null; departmentId: number | null }): boolean {
  return !!prepared(db, 'SELECT 1 FROM user_roles WHERE user_id = ? AND role = ? AND faculty_id IS ? AND department_id IS ?').get(userId, g.role, g.facultyId, g.departmentId);
}

/** Withdraws a grant; a role held through another grant stays. The person's sessions re-read roles on each request. */
export function revokeRole(db: DB, userId: number, roleId: number, reason: string, actor: Actor, now: number): boolean {
  return inTransaction(db, () => {
    const row = prepared(db, 'SELECT id, role, faculty_id AS facultyId, department_id AS departmentId FROM user_roles WHERE id = ? AND user_id = ?').get(roleId, userId) as { id: number; role: Role; facultyId: number | null; departmentId: number | null } | undefined;
    if (!row) return false;
    prepared(db, 'DELETE FROM user_roles WHERE id = ?').run(roleId);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'role.revoke', entity: 'user_role', entityId: roleId, before: { userId, role: row.role, facultyId: row.facultyId, departmentId: row.departmentId }, reason });
    return true;
  });
}

export type MoveResult = 'ok' | 'tooEarly' | 'sameGroup' | 'notInGroup';

/**
 * Dated transfer: the open membership ends the day before `fromDate` and a new one starts on it, so
 * journals keep showing the student where they were on each lesson's date. `groupId` null ends the
 * membership (expulsion, graduation, academic leave) without a new group.
 */
export function moveStudent(db: DB, studentId: number, groupId: number | null, fromDate: string, reason: string, actor: Actor, now: number): MoveResult {
  return inTransaction(db, () => {
    const open = prepared(db, 'SELECT id, group_id AS groupId, from_date AS fromDate FROM group_memberships WHERE student_id = ? AND to_date IS NULL').get(studentId) as { id: number; groupId: number; fromDate: string } | undefined;
    if (!open && groupId === null) return 'notInGroup';
    if (open && open.groupId === groupId) return 'sameGroup';
    if (open && fromDate <= open.fromDate) return 'tooEarly';
    if (open) {
      const dayBefore = new Date(Date.parse(`${fromDate}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      prepared(db, 'UPDATE group_memberships SET to_date = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?').run(dayBefore, actor.id, now, open.id);
    }
    let newId: number | null = null;
    if (groupId !== null) {
      newId = Number(prepared(db, 'INSERT INTO group_memberships (student_id, group_id, from_date, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)').run(studentId, groupId, fromDate, actor.id, now).lastInsertRowid);
      if (!prepared(db, "SELECT 1 FROM user_roles WHERE user_id = ? AND role = 'student'").get(studentId)) {
        prepared(db, "INSERT INTO user_roles (user_id, role, updated_by, updated_at) VALUES (?, 'student', ?, ?)").run(studentId, actor.id, now);
      }
    }
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: open ? (groupId === null ? 'membership.end' : 'membership.transfer') : 'membership.enrol', entity: 'group_membership', entityId: newId ?? open!.id, studentId,
      before: open ? { groupId: open.groupId } : null, after: { groupId, fromDate }, reason });
    return 'ok';
  });
}

/**
 * A link the dean's office records from a paper consent (a parent who cannot redeem a code): the note
 * says what the consent is, e.g. "written consent of 12.09, reg. no. 114".
 */
export function recordGuardianLink(db: DB, studentId: number, guardianId: number, scope: LinkScope, consentNote: string, actor: Actor, now: number): number {
  return inTransaction(db, () => {
    prepared(db, 'UPDATE guardian_links SET revoked_at = ?, revoked_by = ?, version = version + 1 WHERE guardian_id = ? AND student_id = ? AND revoked_at IS NULL').run(now, actor.id, guardianId, studentId);
    const id = Number(prepared(db, "INSERT INTO guardian_links (guardian_id, student_id, scope, consent, consent_note, consented_at, updated_by, updated_at) VALUES (?, ?, ?, 'dean_recorded', ?, ?, ?, ?)")
      .run(guardianId, studentId, scope, consentNote, now, actor.id, now).lastInsertRowid);
    if (!prepared(db, "SELECT 1 FROM user_roles WHERE user_id = ? AND role = 'guardian'").get(guardianId)) {
      prepared(db, "INSERT INTO user_roles (user_id, role, updated_by, updated_at) VALUES (?, 'guardian', ?, ?)").run(guardianId, actor.id, now);
    }
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'guardian_link.create', entity: 'guardian_link', entityId: id, studentId, after: { guardianId, scope, consent: 'dean_recorded', consentNote } });
    return id;
  });
}

export type Choice = { id: number; facultyId: number; label: string; labelEn: string };

/** The groups and departments a form may offer, already limited to the admin's faculties. */
export function groupChoices(db: DB, facultyIds: number[] | 'all'): Choice[] {
  const rows = prepared(db, 'SELECT id, faculty_id AS facultyId, name AS label, name AS labelEn FROM groups ORDER BY name').all() as Choice[];
  return facultyIds === 'all' ? rows : rows.filter((r) => facultyIds.includes(r.facultyId));
}

export function departmentChoices(db: DB, facultyIds: number[] | 'all'): Choice[] {
  const rows = prepared(db, 'SELECT id, faculty_id AS facultyId, name_ru AS label, name_en AS labelEn FROM departments ORDER BY name_ru').all() as Choice[];
  return facultyIds === 'all' ? rows : rows.filter((r) => facultyIds.includes(r.facultyId));
}

export function facultyChoices(db: DB, facultyIds: number[] | 'all'): Choice[] {
  const rows = prepared(db, 'SELECT id, id AS facultyId, name_ru AS label, name_en AS labelEn FROM faculties ORDER BY id').all() as Choice[];
  return facultyIds === 'all' ? rows : rows.filter((r) => facultyIds.includes(r.facultyId));
}

export function childrenOf(db: DB, guardianId: number): { id: number; surname: string; givenName: string; patronymic: string | null; scope: LinkScope }[] {
  return prepared(db, `SELECT u.id, u.surname, u.given_name AS givenName, u.patronymic, l.scope FROM guardian_links l JOIN users u ON u.id = l.student_id
    WHERE l.guardian_id = ? AND l.revoked_at IS NULL ORDER BY u.surname`).all(guardianId) as { id: number; surname: string; givenName: string; patronymic: string | null; scope: LinkScope }[];
}
