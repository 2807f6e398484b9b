// Session rows as the Lucia guide stores them: the id is the SHA-256 of the browser's token, never
// the token itself, so a leaked database does not leak usable sessions. server/auth/session.ts
// decides lifetimes and sliding expiry; this file only reads and writes the rows.
import { createHash } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import type { sessions } from '../schema';

export type SessionRow = typeof sessions.$inferSelect;

/** The stored form of a session (or one-time link) token: its SHA-256, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function insertSession(s: Queryable, row: SessionRow): Promise<void> {
  await s.run(sql`INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (${row.id}, ${row.userId}, ${row.createdAt}, ${row.expiresAt})`);
}

export async function sessionById(s: Queryable, id: string): Promise<SessionRow | undefined> {
  return s.get<SessionRow>(sql`SELECT id, user_id AS "userId", expires_at AS "expiresAt", created_at AS "createdAt" FROM sessions WHERE id = ${id}`);
}

export async function extendSession(s: Queryable, id: string, expiresAt: number): Promise<void> {
  await s.run(sql`UPDATE sessions SET expires_at = ${expiresAt} WHERE id = ${id}`);
}

export async function deleteSession(s: Queryable, id: string): Promise<void> {
  await s.run(sql`DELETE FROM sessions WHERE id = ${id}`);
}

/** On password change or when an account is disabled: every device is logged out. */
export async function deleteUserSessions(s: Queryable, userId: number): Promise<void> {
  await s.run(sql`DELETE FROM sessions WHERE user_id = ${userId}`);
}

/** Which of these sessions are still alive at `now`: a push to 5,000 sockets checks them in a few queries. */
export async function liveSessionIds(s: Queryable, ids: string[], now: number): Promise<Set<string>> {
  const live = new Set<string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await s.all<{ id: string }>(sql`SELECT id FROM sessions
      WHERE ${inArray(sql`id`, unique.slice(i, i + 500))} AND expires_at > ${now}`);
    for (const r of rows) live.add(r.id);
  }
  return live;
}
