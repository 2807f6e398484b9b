import { createHash, randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import { appendAudit } from './audit';
import type { Actor } from './records';
import type { LinkScope } from '../schema';

export type GuardianLink = { id: number; guardianId: number; surname: string; givenName: string; nameLatin: string | null; patronymic: string | null; email: string; scope: LinkScope; consent: string; consentNote: string | null; consentedAt: number; revokedAt: number | null };

export async function linksOfStudent(s: Queryable, studentId: number): Promise<GuardianLink[]> {
  return s.all<GuardianLink>(sql`SELECT l.id, l.guardian_id AS "guardianId", u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic, u.email, l.scope, l.consent,
      l.consent_note AS "consentNote", l.consented_at AS "consentedAt", l.revoked_at AS "revokedAt"
    FROM guardian_links l JOIN users u ON u.id = l.guardian_id WHERE l.student_id = ${studentId} ORDER BY l.revoked_at IS NOT NULL, l.id`);
}

/** Every guardian who has or had a link to the student (revoked ones included). */
export async function guardiansEverLinked(s: Queryable, studentId: number): Promise<number[]> {
  const rows = await s.all<{ id: number }>(sql`SELECT DISTINCT guardian_id AS id FROM guardian_links WHERE student_id = ${studentId}`);
  return rows.map((r) => r.id);
}

export type GuardianView = { at: number; surname: string; givenName: string; nameLatin: string | null; courseId: number | null; actorRole: string | null };

/** Every time someone other than the student opened the record (from the audit log). */
export async function viewsOfStudent(s: Queryable, studentId: number, limit = 50): Promise<GuardianView[]> {
  return s.all<GuardianView>(sql`SELECT a.at, u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", a.course_id AS "courseId", a.actor_role AS "actorRole"
    FROM audit_log a JOIN users u ON u.id = a.actor_id WHERE a.action = 'student.view' AND a.student_id = ${studentId} ORDER BY a.id DESC LIMIT ${limit}`);
}

// No 0/O, 1/I/L: a code is read aloud over the phone to a parent abroad.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const hashCode = (code: string) => createHash('sha256').update(code.replace(/[^A-Z0-9]/gi, '').toUpperCase()).digest('hex');

/** A one-time pairing code (shown once, stored hashed), valid for seven days. */
export async function createPairingCode(s: Queryable, studentId: number, scope: LinkScope, actor: Actor, now: number): Promise<string> {
  let raw = '';
  for (let i = 0; i < 10; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  const code = `${raw.slice(0, 5)}-${raw.slice(5)}`;
  await s.tx(async (tx) => {
    const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO pairing_codes (student_id, code_hash, scope, expires_at, updated_by, updated_at)
      VALUES (${studentId}, ${hashCode(code)}, ${scope}, ${now + 7 * 86_400_000}, ${actor.id}, ${now}) RETURNING id`))!;
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'pairing_code.create', entity: 'pairing_code', entityId: id, studentId, after: { scope } });
  });
  return code;
}

/** Whether `code` is this student's and still redeemable (shown again after a redirect, never stored plain). */
export async function pairingCodeIsLive(s: Queryable, studentId: number, code: string, now: number): Promise<boolean> {
  const row = await s.get<{ id: number }>(sql`SELECT id FROM pairing_codes WHERE code_hash = ${hashCode(code)} AND student_id = ${studentId}
    AND used_at IS NULL AND expires_at > ${now}`);
  return Boolean(row);
}

export type RedeemResult = { ok: true; studentId: number } | { ok: false; error: 'guardians.badCode' | 'guardians.ownCode' };

/** A guardian redeems a code: the link is created with the student's consent, the code is spent. */
export async function redeemPairingCode(s: Queryable, code: string, guardian: Actor, now: number): Promise<RedeemResult> {
  return s.tx(async (tx): Promise<RedeemResult> => {
    const row = await tx.get<{ id: number; studentId: number; scope: LinkScope; expiresAt: number; usedAt: number | null }>(sql`SELECT id, student_id AS "studentId", scope,
      expires_at AS "expiresAt", used_at AS "usedAt" FROM pairing_codes WHERE code_hash = ${hashCode(code)}`);
    if (!row || row.usedAt || row.expiresAt < now) return { ok: false, error: 'guardians.badCode' };
    if (row.studentId === guardian.id) return { ok: false, error: 'guardians.ownCode' };
    await tx.run(sql`UPDATE pairing_codes SET used_at = ${now}, used_by = ${guardian.id}, version = version + 1 WHERE id = ${row.id}`);
    // A guardian re-linking replaces an older live link rather than stacking two.
    await tx.run(sql`UPDATE guardian_links SET revoked_at = ${now}, revoked_by = ${guardian.id}, version = version + 1
      WHERE guardian_id = ${guardian.id} AND student_id = ${row.studentId} AND revoked_at IS NULL`);
    const { id: linkId } = (await tx.get<{ id: number }>(sql`INSERT INTO guardian_links (guardian_id, student_id, scope, consent, consented_at, updated_by, updated_at)
      VALUES (${guardian.id}, ${row.studentId}, ${row.scope}, 'pairing_code', ${now}, ${guardian.id}, ${now}) RETURNING id`))!;
    if (!(await tx.get(sql`SELECT 1 AS one FROM user_roles WHERE user_id = ${guardian.id} AND role = 'guardian'`))) {
      await tx.run(sql`INSERT INTO user_roles (user_id, role, updated_by, updated_at) VALUES (${guardian.id}, 'guardian', ${guardian.id}, ${now})`);
    }
    await appendAudit(tx, { actorId: guardian.id, actorRole: 'guardian', ip: guardian.ip, at: now, action: 'guardian_link.create', entity: 'guardian_link', entityId: linkId, studentId: row.studentId, after: { guardianId: guardian.id, scope: row.scope, consent: 'pairing_code' } });
    return { ok: true, studentId: row.studentId };
  });
}

/** Scope change or revocation of one of the student's links; returns false when it is not theirs. */
export async function updateLink(s: Queryable, studentId: number, linkId: number, change: { scope?: LinkScope; revoke?: boolean }, actor: Actor, now: number): Promise<boolean> {
  return s.tx(async (tx) => {
    const cur = await tx.get<{ id: number; scope: LinkScope; revokedAt: number | null; version: number }>(sql`SELECT id, scope, revoked_at AS "revokedAt", version
      FROM guardian_links WHERE id = ${linkId} AND student_id = ${studentId}`);
    if (!cur || cur.revokedAt) return false;
    if (change.revoke) {
      await tx.run(sql`UPDATE guardian_links SET revoked_at = ${now}, revoked_by = ${actor.id}, version = ${cur.version + 1}, updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${linkId}`);
    } else if (change.scope) {
      await tx.run(sql`UPDATE guardian_links SET scope = ${change.scope}, version = ${cur.version + 1}, updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${linkId}`);
    }
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: change.revoke ? 'guardian_link.revoke' : 'guardian_link.update', entity: 'guardian_link', entityId: linkId, studentId,
      before: { scope: cur.scope, revokedAt: null }, after: change.revoke ? { scope: cur.scope, revokedAt: now } : { scope: change.scope } });
    return true;
  });
}
