// The e-mail outbox and what decides it (issue 15). Rows are written inside the transaction of the change
// that causes them (a notification, a confirmation request); the sender (server/mail/sender.ts) claims one
// row at a time, sends it, and marks it. Whether a message may still go is checked again when it is sent.
import { inArray, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../store';
import { appendAudit } from './audit';
import { NOTIFY_KINDS, type NotifyKind } from './notify-settings';
import { noticeVisible, type NoticeFilter } from './notice-visibility';
import { MAIL_MODES, type Lang, type MailMode } from '../schema';

export type MailKind = 'notice' | 'digest' | 'confirm' | 'test';
export type Cadence = 'daily' | 'weekly';

export type Recipient = {
  userId: number; address: string; confirmedAt: number | null; failingAt: number | null; failingReason: string | null; digestHour: number;
};

export type OutboxRow = {
  id: number; key: string; userId: number | null; address: string; kind: MailKind; ref: string; state: string; attempts: number;
  nextAt: number; createdAt: number;
};

export type Person = { id: number; email: string; surname: string; givenName: string; patronymic: string | null; lang: Lang; timeZone: string; disabled: boolean };

const RECIPIENT = sql`user_id AS "userId", address, confirmed_at AS "confirmedAt", failing_at AS "failingAt",
  failing_reason AS "failingReason", digest_hour AS "digestHour"`;

export async function recipientOf(s: Queryable, userId: number): Promise<Recipient | undefined> {
  const r = await s.get<Recipient>(sql`SELECT ${RECIPIENT} FROM mail_recipients WHERE user_id = ${userId}`);
  return r && { ...r, confirmedAt: num(r.confirmedAt), failingAt: num(r.failingAt), digestHour: Number(r.digestHour) };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The account the mail is for, as it is now (a disabled account is mailed nothing). */
export async function personForMail(s: Queryable, userId: number): Promise<Person | undefined> {
  const p = await s.get<Person>(sql`SELECT id, email, surname, given_name AS "givenName", patronymic, lang, time_zone AS "timeZone", disabled
    FROM users WHERE id = ${userId}`);
  return p && { ...p, disabled: !!p.disabled };
}

/** The user's choice per kind; a kind never chosen goes at once. */
export async function mailModes(s: Queryable, userId: number): Promise<Record<NotifyKind, MailMode>> {
  const rows = await s.all<{ kind: string; mode: MailMode }>(sql`SELECT kind, mode FROM mail_prefs WHERE user_id = ${userId}`);
  const out = Object.fromEntries(NOTIFY_KINDS.map((k) => [k, 'instant'])) as Record<NotifyKind, MailMode>;
  for (const r of rows) if ((NOTIFY_KINDS as readonly string[]).includes(r.kind) && (MAIL_MODES as readonly string[]).includes(r.mode)) out[r.kind as NotifyKind] = r.mode;
  return out;
}

async function upsertMode(tx: Tx, userId: number, kind: NotifyKind, mode: MailMode): Promise<void> {
  await tx.run(sql`INSERT INTO mail_prefs (user_id, kind, mode) VALUES (${userId}, ${kind}, ${mode})
    ON CONFLICT (user_id, kind) DO UPDATE SET mode = ${mode}`);
}

export async function setMailSettings(
  s: Queryable, userId: number, modes: Record<NotifyKind, MailMode>, digestHour: number, ip: string | null, now: number,
): Promise<void> {
  await s.tx(async (tx) => {
    const before = { modes: await mailModes(tx, userId), digestHour: (await recipientOf(tx, userId))?.digestHour ?? 19 };
    for (const k of NOTIFY_KINDS) await upsertMode(tx, userId, k, modes[k]);
    await tx.run(sql`UPDATE mail_recipients SET digest_hour = ${digestHour}, updated_at = ${now} WHERE user_id = ${userId}`);
    await appendAudit(tx, { actorId: userId, actorRole: null, ip, at: now, action: 'user.mail_settings', entity: 'user', entityId: userId, before, after: { modes, digestHour } });
  });
}

/** The unsubscribe link's effect: that kind is no longer mailed. True when it changed anything. */
export async function unsubscribeKind(s: Queryable, userId: number, kind: NotifyKind, ip: string | null, now: number): Promise<boolean> {
  return s.tx(async (tx) => {
    const before = (await mailModes(tx, userId))[kind];
    if (before === 'off') return false;
    await upsertMode(tx, userId, kind, 'off');
    await appendAudit(tx, { actorId: userId, actorRole: null, ip, at: now, action: 'user.mail_unsubscribe', entity: 'user', entityId: userId, before: { [kind]: before }, after: { [kind]: 'off' } });
    return true;
  });
}

/**
 * Asks for the confirmation of the account's address: a new address (or a failing one, asked again) starts
 * unconfirmed, and the link goes out through the outbox with the rest.
 */
export async function requestConfirmation(s: Queryable, userId: number, address: string, ip: string | null, now: number): Promise<void> {
  await s.tx(async (tx) => {
    const was = await recipientOf(tx, userId);
    if (!was) {
      await tx.run(sql`INSERT INTO mail_recipients (user_id, address, updated_at) VALUES (${userId}, ${address}, ${now})`);
    } else if (was.address !== address || was.failingAt !== null) {
      await tx.run(sql`UPDATE mail_recipients SET address = ${address}, confirmed_at = NULL, failing_at = NULL, failing_reason = NULL,
        updated_at = ${now} WHERE user_id = ${userId}`);
    }
    await enqueue(tx, { key: `confirm:${userId}:${now}`, userId, address, kind: 'confirm', ref: {}, now });
    await appendAudit(tx, { actorId: userId, actorRole: null, ip, at: now, action: 'user.mail_confirm_request', entity: 'user', entityId: userId, after: { address } });
  });
}

/**
 * The confirmation link was followed: the address it names (still the account's) is confirmed. Digests
 * start from what is new from now on, not from every older notification.
 */
export async function confirmAddress(s: Queryable, userId: number, address: string, ip: string | null, now: number): Promise<boolean> {
  return s.tx(async (tx) => {
    const r = await recipientOf(tx, userId);
    if (!r || r.address !== address || r.confirmedAt !== null) return false;
    const last = await tx.get<{ m: number | null }>(sql`SELECT max(id) AS m FROM notifications WHERE user_id = ${userId}`);
    const through = Number(last?.m ?? 0);
    await tx.run(sql`UPDATE mail_recipients SET confirmed_at = ${now}, daily_through = ${through}, weekly_through = ${through},
      updated_at = ${now} WHERE user_id = ${userId}`);
    await appendAudit(tx, { actorId: userId, actorRole: null, ip, at: now, action: 'user.mail_confirmed', entity: 'user', entityId: userId, after: { address } });
    return true;
  });
}

type NewMail = { key: string; userId: number | null; address: string; kind: MailKind; ref: object; now: number };

/** Queues a message once per key: a cause seen twice (two processes, a retried transaction) queues one. */
export async function enqueue(s: Queryable, m: NewMail): Promise<void> {
  await s.run(sql`INSERT INTO mail_outbox (key, user_id, address, kind, ref, next_at, created_at)
    VALUES (${m.key}, ${m.userId}, ${m.address}, ${m.kind}, ${JSON.stringify(m.ref)}, ${m.now}, ${m.now}) ON CONFLICT (key) DO NOTHING`);
}

/**
 * Called in the transaction that stores a notification: the user who wants this kind at once, at a
 * confirmed address that is not failing, gets a message about it. Digests read the notifications later.
 */
export async function queueNoticeMail(tx: Tx, userId: number, notificationId: number, kind: NotifyKind, now: number): Promise<void> {
  const r = await recipientOf(tx, userId);
  if (!r || r.confirmedAt === null || r.failingAt !== null) return;
  if ((await mailModes(tx, userId))[kind] !== 'instant') return;
  await enqueue(tx, { key: `notice:${notificationId}`, userId, address: r.address, kind: 'notice', ref: { n: notificationId, kind }, now });
}

/**
 * Takes the next due message for this process. A message still claimed after `claimMs` belonged to a
 * process that died mid-send: it is due again (with the same key, so the same Message-ID).
 */
export async function claimNext(s: Queryable, now: number, claimMs: number): Promise<OutboxRow | undefined> {
  await s.run(sql`UPDATE mail_outbox SET state = 'queued' WHERE state = 'sending' AND claimed_at < ${now - claimMs}`);
  for (let i = 0; i < 5; i++) {
    const next = await s.get<{ id: number }>(sql`SELECT id FROM mail_outbox WHERE state = 'queued' AND next_at <= ${now} ORDER BY next_at, id LIMIT 1`);
    if (!next) return undefined;
    // Another process may take the same row between the read and the update: only one update finds it queued.
    const won = await s.run(sql`UPDATE mail_outbox SET state = 'sending', claimed_at = ${now}, attempts = attempts + 1
      WHERE id = ${next.id} AND state = 'queued'`);
    if (won.changes === 1) {
      const row = await s.get<OutboxRow>(sql`SELECT id, key, user_id AS "userId", address, kind, ref, state, attempts, next_at AS "nextAt",
        created_at AS "createdAt" FROM mail_outbox WHERE id = ${next.id}`);
      return row && { ...row, id: Number(row.id), userId: num(row.userId), attempts: Number(row.attempts), nextAt: Number(row.nextAt), createdAt: Number(row.createdAt) };
    }
  }
  return undefined;
}

export async function markSent(s: Queryable, id: number, now: number): Promise<void> {
  await s.run(sql`UPDATE mail_outbox SET state = 'sent', sent_at = ${now}, claimed_at = NULL WHERE id = ${id}`);
}

export async function markRetry(s: Queryable, id: number, nextAt: number, error: string): Promise<void> {
  await s.run(sql`UPDATE mail_outbox SET state = 'queued', next_at = ${nextAt}, claimed_at = NULL, last_error = ${error.slice(0, 500)} WHERE id = ${id}`);
}

/** Not sent and never will be: `dropped` when it may no longer go (a revoked link), `failed` when refused. */
export async function markGivenUp(s: Queryable, id: number, state: 'failed' | 'dropped', reason: string): Promise<void> {
  await s.run(sql`UPDATE mail_outbox SET state = ${state}, claimed_at = NULL, last_error = ${reason.slice(0, 500)} WHERE id = ${id}`);
}

/**
 * A permanent refusal (5xx) of the address: nothing more goes to it until the user asks for a new
 * confirmation; what is queued for it is dropped with the reason.
 */
export async function markAddressFailing(s: Queryable, userId: number, address: string, reason: string, now: number): Promise<void> {
  await s.tx(async (tx) => {
    await tx.run(sql`UPDATE mail_recipients SET failing_at = ${now}, failing_reason = ${reason.slice(0, 300)}, updated_at = ${now}
      WHERE user_id = ${userId} AND address = ${address}`);
    await tx.run(sql`UPDATE mail_outbox SET state = 'dropped', last_error = 'address failing' WHERE user_id = ${userId} AND state = 'queued' AND kind <> 'confirm'`);
    await appendAudit(tx, { actorId: null, actorRole: null, ip: null, at: now, action: 'user.mail_failing', entity: 'user', entityId: userId, after: { address, reason: reason.slice(0, 300) } });
  });
}

export type MailNotice = { id: number; kind: NotifyKind; studentId: number | null; courseId: number | null; payload: string; createdAt: number };

const NOTICE = sql`n.id, n.kind, n.student_id AS "studentId", n.course_id AS "courseId", n.payload, n.created_at AS "createdAt"`;

/** The notifications of these ids the reader may still see now (a link revoked or narrowed since hides them). */
export async function visibleNotices(s: Queryable, f: NoticeFilter, ids: number[]): Promise<MailNotice[]> {
  if (ids.length === 0) return [];
  return s.all<MailNotice>(sql`SELECT ${NOTICE} FROM notifications n WHERE ${inArray(sql`n.id`, ids)} AND ${noticeVisible(f)} ORDER BY n.id`);
}

export type DigestCandidate = { userId: number; digestHour: number; timeZone: string; dailySlot: number | null; weeklySlot: number | null };

/** Confirmed, working addresses of live accounts that take some kind as a digest. */
export async function digestCandidates(s: Queryable): Promise<DigestCandidate[]> {
  const rows = await s.all<DigestCandidate & { disabled: unknown }>(sql`SELECT r.user_id AS "userId", r.digest_hour AS "digestHour",
      u.time_zone AS "timeZone", r.daily_slot AS "dailySlot", r.weekly_slot AS "weeklySlot", u.disabled
    FROM mail_recipients r JOIN users u ON u.id = r.user_id
    WHERE r.confirmed_at IS NOT NULL AND r.failing_at IS NULL
      AND EXISTS (SELECT 1 FROM mail_prefs p WHERE p.user_id = r.user_id AND p.mode IN ('daily', 'weekly'))`);
  return rows.filter((r) => !r.disabled).map((r) => ({ ...r, userId: Number(r.userId), digestHour: Number(r.digestHour), dailySlot: num(r.dailySlot), weeklySlot: num(r.weeklySlot) }));
}

/**
 * Closes one digest window of a user: what they may see that arrived since the last window, of the kinds
 * they take this way, goes into one message (none when nothing is new). The window moves only forward,
 * and only one process moves it: the other finds it moved and queues nothing.
 */
export async function queueDigest(s: Queryable, userId: number, cadence: Cadence, slot: number, f: NoticeFilter, now: number): Promise<boolean> {
  return s.tx(async (tx) => {
    const cur = await tx.get<{ slot: number | null }>(cadence === 'daily'
      ? sql`SELECT daily_slot AS slot FROM mail_recipients WHERE user_id = ${userId}`
      : sql`SELECT weekly_slot AS slot FROM mail_recipients WHERE user_id = ${userId}`);
    const first = cur?.slot === null || cur?.slot === undefined;
    const moved = cadence === 'daily'
      ? await tx.run(sql`UPDATE mail_recipients SET daily_slot = ${slot} WHERE user_id = ${userId} AND (daily_slot IS NULL OR daily_slot < ${slot})`)
      : await tx.run(sql`UPDATE mail_recipients SET weekly_slot = ${slot} WHERE user_id = ${userId} AND (weekly_slot IS NULL OR weekly_slot < ${slot})`);
    if (moved.changes === 0) return false;
    // The first window of a recipient only starts the clock: what is new since confirming goes at the next one.
    if (first) return false;
    const kinds = Object.entries(await mailModes(tx, userId)).filter(([, m]) => m === cadence).map(([k]) => k);
    const r = await tx.get<{ address: string; through: number }>(cadence === 'daily'
      ? sql`SELECT address, daily_through AS through FROM mail_recipients WHERE user_id = ${userId}`
      : sql`SELECT address, weekly_through AS through FROM mail_recipients WHERE user_id = ${userId}`);
    if (!r || kinds.length === 0) return false;
    const rows = await tx.all<{ id: number }>(sql`SELECT n.id FROM notifications n
      WHERE n.id > ${Number(r.through)} AND ${inArray(sql`n.kind`, kinds)} AND ${noticeVisible(f)} ORDER BY n.id`);
    if (rows.length === 0) return false;
    const ids = rows.map((x) => Number(x.id));
    const through = ids[ids.length - 1];
    await tx.run(cadence === 'daily'
      ? sql`UPDATE mail_recipients SET daily_through = ${through} WHERE user_id = ${userId}`
      : sql`UPDATE mail_recipients SET weekly_through = ${through} WHERE user_id = ${userId}`);
    await enqueue(tx, { key: `digest:${userId}:${cadence}:${slot}`, userId, address: r.address, kind: 'digest', ref: { ids, cadence }, now });
    return true;
  });
}

export type StudentName = { id: number; surname: string; givenName: string; patronymic: string | null; nameLatin: string | null };

export async function studentNames(s: Queryable, ids: number[]): Promise<StudentName[]> {
  if (ids.length === 0) return [];
  return s.all<StudentName>(sql`SELECT id, surname, given_name AS "givenName", patronymic, name_latin AS "nameLatin" FROM users WHERE ${inArray(sql`id`, ids)}`);
}

/** The operator's test message (`npm run mail:test`): to any address, through the same outbox and sender. */
export async function enqueueTestMessage(s: Queryable, address: string, lang: Lang, key: string, now: number): Promise<void> {
  await enqueue(s, { key: `test:${key}`, userId: null, address, kind: 'test', ref: { lang }, now });
}

export async function outboxRow(s: Queryable, key: string): Promise<{ state: string; attempts: number; lastError: string | null } | undefined> {
  const r = await s.get<{ state: string; attempts: number; lastError: string | null }>(sql`SELECT state, attempts, last_error AS "lastError" FROM mail_outbox WHERE key = ${key}`);
  return r && { ...r, attempts: Number(r.attempts) };
}

export type GuardianMailState = { guardianId: number; address: string | null; confirmedAt: number | null; failingAt: number | null };

/** What the dean's office sees of the guardians' addresses: confirmed, waiting, failing. */
export async function guardianMailStates(s: Queryable, guardianIds: number[]): Promise<Map<number, Recipient>> {
  if (guardianIds.length === 0) return new Map();
  const rows = await s.all<Recipient>(sql`SELECT ${RECIPIENT} FROM mail_recipients WHERE ${inArray(sql`user_id`, guardianIds)}`);
  return new Map(rows.map((r) => [Number(r.userId), { ...r, confirmedAt: num(r.confirmedAt), failingAt: num(r.failingAt), digestHour: Number(r.digestHour) }]));
}

export async function outboxStates(s: Queryable): Promise<{ state: string; n: number }[]> {
  return (await s.all<{ state: string; n: number }>(sql`SELECT state, count(*) AS n FROM mail_outbox GROUP BY state ORDER BY state`)).map((r) => ({ state: r.state, n: Number(r.n) }));
}
