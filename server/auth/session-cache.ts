// The signed-in session and its user, kept in memory between requests: without it every request reads
// both (two statements, a tenth of a home page's time). What would make an entry wrong is always a
// committed change: a logout, a disabled account, a new password, a role granted or withdrawn, a changed
// name or language. Each writes an audit row, and the audit log is the change stream (server/realtime): the
// cache drops what a row names, whichever process wrote it. In this process no request uses the cache
// between a commit and the moment the publisher has handed that commit's rows on, so the request after a
// logout here is refused even if the publisher is still reading; a bell lost between processes is
// bounded by the entries' lifetime (TTL_MS).
import type { CurrentUser } from '../../db/queries/users';
import type { Change } from '../realtime/changes';
import { CommitGate } from '../realtime/commit-gate';
import { SESSION_LIFETIME, type Session } from './session';

export const SESSION_CACHE_TTL_MS = 10_000;
const MAX_SESSIONS = 20_000;

type Entry = { session: Session; cachedAt: number };

export class SessionCache {
  private readonly sessions = new Map<string, Entry>();
  private readonly users = new Map<number, CurrentUser>();

  constructor(
    private readonly gate = new CommitGate(),
    private readonly ttlMs = SESSION_CACHE_TTL_MS,
    private readonly monotonic: () => number = () => performance.now(),
  ) {}

  /** Taken before the session is read from the store; `put` keeps it only if nothing changed meanwhile. */
  ticket(): number {
    return this.gate.ticket();
  }

  /** The session and user for a session id, when cached, fresh, and not due for its sliding extension. */
  get(sessionId: string, now: number): { session: Session; user: CurrentUser } | undefined {
    if (!this.gate.open) return undefined;
    const e = this.sessions.get(sessionId);
    if (!e) return undefined;
    const user = this.users.get(e.session.userId);
    // Past half its life the session is extended, which is a write: the store's path does it.
    if (!user || this.monotonic() - e.cachedAt >= this.ttlMs || now >= e.session.expiresAt - SESSION_LIFETIME / 2) {
      this.sessions.delete(sessionId);
      return undefined;
    }
    return { session: e.session, user };
  }

  put(session: Session, user: CurrentUser, ticket: number): void {
    if (!this.gate.valid(ticket)) return;
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value; // a Map iterates in insertion order
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    this.sessions.set(session.id, { session: { ...session }, cachedAt: this.monotonic() });
    this.users.set(user.id, user);
  }

  dropSession(sessionId: string): void {
    this.gate.dropped();
    this.sessions.delete(sessionId);
  }

  dropUser(userId: number): void {
    this.gate.dropped();
    this.users.delete(userId); // its sessions miss from now on (no user) and are dropped as they are asked for
  }

  clear(): void {
    this.gate.dropped();
    this.sessions.clear();
    this.users.clear();
  }

  /** A visit's last-seen stamp, not yet written (server/plugins/visit-log.ts), on the cached user too. */
  seen(userId: number, at: number): void {
    const u = this.users.get(userId);
    if (u && at > (u.lastSeenAt ?? 0)) u.lastSeenAt = at;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** What one committed audit row makes stale. */
  invalidate(c: Change): void {
    if (c.entity === 'audit:user') {
      if (c.action === 'login.failed' || c.action === 'user.create') return;
      if (c.entityId === null || c.entityId === undefined) this.clear();
      else this.dropUser(c.entityId);
    } else if (c.entity === 'audit:user_role') {
      this.clear(); // the row names the grant, not its user; grants change rarely
    }
  }
}
