import { prepared, inTransaction, type DB } from '../client';
import { appendAuditSync } from './audit';

export const NOTIFY_KINDS = ['mark', 'absence', 'admission', 'dispute'] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

export function mutedKinds(db: DB, userId: number): NotifyKind[] {
  const row = prepared(db, 'SELECT notify_muted AS m FROM users WHERE id = ?').get(userId) as { m: string } | undefined;
  try {
    const list = JSON.parse(row?.m ?? '[]') as unknown;
    return Array.isArray(list) ? list.filter((k): k is NotifyKind => (NOTIFY_KINDS as readonly string[]).includes(k)) : [];
  } catch {
    return [];
  }
}

export function isMuted(db: DB, userId: number, kind: NotifyKind): boolean {
  return mutedKinds(db, userId).includes(kind);
}

export function setMutedKinds(db: DB, userId: number, muted: NotifyKind[], ip: string | null, now: number): void {
  inTransaction(db, () => {
    const before = mutedKinds(db, userId);
    prepared(db, 'UPDATE users SET notify_muted = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(muted), userId, now, userId);
    appendAuditSync(db, { actorId: userId, actorRole: null, ip, at: now, action: 'user.notify_settings', entity: 'user', entityId: userId, before: { muted: before }, after: { muted } });
  });
}
