import { createHash, randomInt } from 'node:crypto';
import { prepared, inTransaction, type DB } from '../client';
import { appendAuditSync } from './audit';
import type { Actor } from './records';
import type { LinkScope } from '../schema';

export type GuardianLink = { id: number; guardianId: number; surname: string; givenName: string; patronymic: string | null; email: string; scope: LinkScope; consent: string; consentNote: string | null; consentedAt: number; revokedAt: number | null };

export function linksOfStudent(db: DB, studentId: number): GuardianLink[] {
  return prepared(db, `SELECT l.id, l.guardian_id AS guardianId, u.surname, u.given_name AS givenName, u.patronymic, u.email, l.scope, l.consent,
      l.consent_note AS consentNote, l.consented_at AS consentedAt, l.revoked_at AS revokedAt
    FROM guardian_links l JOIN users u ON u.id = l.guardian_id WHERE l.student_id = ? ORDER BY l.revoked_at IS NOT NULL, l.id`).all(studentId) as GuardianLink[];
}

/** Every guardian who has or had a link to the student (revoked ones included). */
export function guardiansEverLinked(db: DB, studentId: number): number[] {
  const rows = prepared(db, 'SELECT DISTINCT guardian_id AS id FROM guardian_links WHERE student_id = ?').all(studentId) as { id: number }[];
  return rows.map((r) => r.id);
}

export type GuardianView = { at: number; surname: string; givenName: string; courseId: number | null; actorRole: string | null };

/** Every time someone other than the student opened the record (from the audit log). */
export function viewsOfStudent(db: DB, studentId: number, limit = 50): GuardianView[] {
  return prepared(db, `SELECT a.at, u.surname, u.given_name AS givenName, a.course_id AS courseId, a.actor_role AS actorRole
    FROM audit_log a JOIN users u ON u.id = a.actor_id WHERE a.action = 'student.view' AND a.student_id = ? ORDER BY a.id DESC LIMIT ?`).all(studentId, limit) as GuardianView[];
}

// No 0/O, 1/I/L: a code is read aloud over the phone to a parent abroad.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const hashCode = (code: string) => createHash('sha256').update(code.replace(/[^A-Z0-9]/gi, '').toUpperCase()).digest('hex');

/** A one-time pairing code (shown once, stored hashed), valid for seven days. */
export function createPairingCode(db: DB, studentId: number, scope: LinkScope, actor: Actor, now: number): string {
  let raw = '';
  for (let i = 0; i < 10; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  const code = `${raw.slice(0, 5)}-${raw.slice(5)}`;
  inTransaction(db, () => {
    const id = Number(prepared(db, 'INSERT INTO pairing_codes (student_id, code_hash, scope, expires_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(studentId, hashCode(code), scope, now + 7 * 86_400_000, actor.id, now).lastInsertRowid);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'pairing_code.create', entity: 'pairing_code', entityId: id, studentId, after: { scope } });
  });
  return code;
}

export type RedeemResult = { ok: true; studentId: number } | { ok: false; error: 'guardians.badCode' | 'guardians.ownCode' };

/** A guardian redeems a code: the link is created with the student's consent, the code is spent. */
export function redeemPairingCode(db: DB, code: string, guardian: Actor, now: number): RedeemResult {
  return inTransaction(db, () => {
    const row = prepared(db, 'SELECT id, student_id AS studentId, scope, expires_at AS expiresAt, used_at AS usedAt FROM pairing_codes WHERE code_hash = ?').get(hashCode(code)) as
      { id: number; studentId: number; scope: LinkScope; expiresAt: number; usedAt: number | null } | undefined;
    if (!row || row.usedAt || row.expiresAt < now) return { ok: false, error: 'guardians.badCode' } as const;
    if (row.studentId === guardian.id) return { ok: false, error: 'guardians.ownCode' } as const;
    prepared(db, 'UPDATE pairing_codes SET used_at = ?, used_by = ?, version = version + 1 WHERE id = ?').run(now, guardian.id, row.id);
    // A guardian re-linking replaces an older live link rather than stacking two.
    prepared(db, 'UPDATE guardian_links SET revoked_at = ?, revoked_by = ?, version = version + 1 WHERE guardian_id = ? AND student_id = ? AND revoked_at IS NULL').run(now, guardian.id, guardian.id, row.studentId);
    const linkId = Number(prepared(db, "INSERT INTO guardian_links (guardian_id, student_id, scope, consent, consented_at, updated_by, updated_at) VALUES (?, ?, ?, 'pairing_code', ?, ?, ?)")
      .run(guardian.id, row.studentId, row.scope, now, guardian.id, now).lastInsertRowid);
    if (!prepared(db, "SELECT 1 FROM user_roles WHERE user_id = ? AND role = 'guardian'").get(guardian.id)) {
      prepared(db, "INSERT INTO user_roles (user_id, role, updated_by, updated_at) VALUES (?, 'guardian', ?, ?)").run(guardian.id, guardian.id, now);
    }
    appendAuditSync(db, { actorId: guardian.id, actorRole: 'guardian', ip: guardian.ip, at: now, action: 'guardian_link.create', entity: 'guardian_link', entityId: linkId, studentId: row.studentId, after: { guardianId: guardian.id, scope: row.scope, consent: 'pairing_code' } });
    return { ok: true, studentId: row.studentId } as const;
  });
}

/** Scope change or revocation of one of the student's links; returns false when it is not theirs. */
export function updateLink(db: DB, studentId: number, linkId: number, change: { scope?: LinkScope; revoke?: boolean }, actor: Actor, now: number): boolean {
  return inTransaction(db, () => {
    const cur = prepared(db, 'SELECT id, scope, revoked_at AS revokedAt, version FROM guardian_links WHERE id = ? AND student_id = ?').get(linkId, studentId) as { id: number; scope: LinkScope; revokedAt: number | null; version: number } | undefined;
    if (!cur || cur.revokedAt) return false;
    if (change.revoke) prepared(db, 'UPDATE guardian_links SET revoked_at = ?, revoked_by = ?, version = ?, updated_by = ?, updated_at = ? WHERE id = ?').run(now, actor.id, cur.version + 1, actor.id, now, linkId);
    else if (change.scope) prepared(db, 'UPDATE guardian_links SET scope = ?, version = ?, updated_by = ?, updated_at = ? WHERE id = ?').run(change.scope, cur.version + 1, actor.id, now, linkId);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: change.revoke ? 'guardian_link.revoke' : 'guardian_link.update', entity: 'guardian_link', entityId: linkId, studentId,
      before: { scope: cur.scope, revokedAt: null }, after: change.revoke ? { scope: cur.scope, revokedAt: now } : { scope: change.scope } });
    return true;
  });
}
