import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import { appendAudit } from './audit';

export const NOTIFY_KINDS = ['mark', 'absence', 'admission', 'dispute', 'mobility'] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

export async function mutedKinds(s: Queryable, userId: number): Promise<NotifyKind[]> {
  const row = await s.get<{ m: string }>(sql`SELECT notify_muted AS m FROM users WHERE id = ${userId}`);
  try {
    const list = JSON.parse(row?.m ?? '[]') as unknown;
    return Array.isArray(list) ? list.filter((k): k is NotifyKind => (NOTIFY_KINDS as readonly string[]).includes(k)) : [];
  } catch {
    return [];
  }
}

export async function isMuted(s: Queryable, userId: number, kind: NotifyKind): Promise<boolean> {
  return (await mutedKinds(s, userId)).includes(kind);
}

export async function setMutedKinds(s: Queryable, userId: number, muted: NotifyKind[], ip: string | null, now: number): Promise<void> {
  await s.tx(async (tx) => {
    const before = await mutedKinds(tx, userId);
    await tx.run(sql`UPDATE users SET notify_muted = ${JSON.stringify(muted)}, version = version + 1, updated_by = ${userId}, updated_at = ${now} WHERE id = ${userId}`);
    await appendAudit(tx, { actorId: userId, actorRole: null, ip, at: now, action: 'user.notify_settings', entity: 'user', entityId: userId, before: { muted: before }, after: { muted } });
  });
}
