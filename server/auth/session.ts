// Sessions as the Lucia guide describes them: a random token goes to the browser in an HttpOnly
// cookie; only its SHA-256 is stored, so a leaked database does not leak usable sessions.
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DB } from '../../db/client';
import { sessions } from '../../db/schema';

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME = 30 * DAY;
export const SESSION_COOKIE = 'zsession';

export type Session = typeof sessions.$inferSelect;

export function generateSessionToken(): string {
  return randomBytes(20).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createSession(db: DB, token: string, userId: number, now = Date.now()): Session {
  const session = { id: hashToken(token), userId, createdAt: now, expiresAt: now + SESSION_LIFETIME };
  db.insert(sessions).values(session).run();
  return session;
}

/** Returns the live session for a token, or null; extends it when past half its life (sliding expiry). */
export function validateSessionToken(db: DB, token: string, now = Date.now()): Session | null {
  const id = hashToken(token);
  const session = db.select().from(sessions).where(eq(sessions.id, id)).get();
  if (!session) return null;
  if (now >= session.expiresAt) {
    db.delete(sessions).where(eq(sessions.id, id)).run();
    return null;
  }
  if (now >= session.expiresAt - SESSION_LIFETIME / 2) {
    session.expiresAt = now + SESSION_LIFETIME;
    db.update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, id)).run();
  }
  return session;
}

export function invalidateSession(db: DB, sessionId: string): void {
  db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

/** On password change or when an account is disabled: every device is logged out. */
export function invalidateUserSessions(db: DB, userId: number): void {
  db.delete(sessions).where(eq(sessions.userId, userId)).run();
}
