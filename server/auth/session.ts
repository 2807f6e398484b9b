// Sessions as the Lucia guide describes them: a random token goes to the browser in an HttpOnly
// cookie; only its SHA-256 is stored, so a leaked database does not leak usable sessions.
// The rows are read and written by db/queries/sessions.ts; lifetimes and sliding expiry are decided here.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/store';
import {
  deleteSession, deleteUserSessions, extendSession, hashToken, insertSession, sessionById, type SessionRow,
} from '../../db/queries/sessions';

export { hashToken };

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME = 30 * DAY;
export const SESSION_COOKIE = 'zsession';

export type Session = SessionRow;

export function generateSessionToken(): string {
  return randomBytes(20).toString('base64url');
}

export async function createSession(s: Queryable, token: string, userId: number, now = Date.now()): Promise<Session> {
  const session = { id: hashToken(token), userId, createdAt: now, expiresAt: now + SESSION_LIFETIME };
  await insertSession(s, session);
  return session;
}

/** Returns the live session for a token, or null; extends it when past half its life (sliding expiry). */
export async function validateSessionToken(s: Queryable, token: string, now = Date.now()): Promise<Session | null> {
  const id = hashToken(token);
  const session = await sessionById(s, id);
  if (!session) return null;
  if (now >= session.expiresAt) {
    await deleteSession(s, id);
    return null;
  }
  if (now >= session.expiresAt - SESSION_LIFETIME / 2) {
    session.expiresAt = now + SESSION_LIFETIME;
    await extendSession(s, id, session.expiresAt);
  }
  return session;
}

export async function invalidateSession(s: Queryable, sessionId: string): Promise<void> {
  await deleteSession(s, sessionId);
}

/** On password change or when an account is disabled: every device is logged out. */
export async function invalidateUserSessions(s: Queryable, userId: number): Promise<void> {
  await deleteUserSessions(s, userId);
}
