// What one socket, and one user's sockets, may cost the server (issue 10). Every catch-up renders
// fragments synchronously, so without these bounds one socket sending `{"since":0}` in a loop held the
// event loop for seconds and every other request waited.

export const LIVE_LIMITS = {
  /** ws maxPayload: the only message a page sends is {"since":N}, under 30 bytes. */
  maxMessageBytes: 512,
  /** Per socket, on every inbound frame: a page sends one message per connection; the rest is slack. */
  messages: { burst: 4, perSecond: 0.5 },
  /** Open sockets per user: hx-ws closes a hidden tab's socket, so this is many visible tabs. */
  socketsPerUser: 10,
  /** New sockets per user: a page load or a reconnect each opens one, and each may ask for one catch-up. */
  connections: { burst: 20, perSecond: 1 / 3 },
  /** Audit rows a catch-up reads per topic; beyond that the page is told to reload instead. */
  replayRows: 100,
} as const;

/** Real elapsed time, not app.clock(): tests fix the app's clock, and a rate needs time to pass. */
type Now = () => number;

export class TokenBucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: Now = () => performance.now(),
  ) {
    this.tokens = burst;
    this.at = now();
  }

  /** Takes one token if there is one. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  full(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.at) / 1000) * this.perSecond);
    this.at = t;
  }
}

/** Counters of the work live sockets caused: tests assert bounded work with them rather than with timings. */
export type LiveStats = { catchUps: number; renders: number; reloads: number; refused: number; flooded: number };

type UserState = { sockets: number; connections: TokenBucket };

/** The per-user limits; a bench that opens thousands of sockets as one user lifts them. */
export type UserLimits = { socketsPerUser: number; connections: { burst: number; perSecond: number } };

/** The per-user side: how many sockets a user has open and how fast they open new ones. */
export class LiveGuard {
  readonly stats: LiveStats = { catchUps: 0, renders: 0, reloads: 0, refused: 0, flooded: 0 };
  private users = new Map<number, UserState>();
  constructor(
    private readonly now: Now = () => performance.now(),
    private readonly limits: UserLimits = LIVE_LIMITS,
  ) {}

  /** May this user open one more socket now? A yes spends one connection token. */
  admit(userId: number): boolean {
    const u = this.user(userId);
    const ok = u.sockets < this.limits.socketsPerUser && u.connections.take();
    if (!ok) this.stats.refused++;
    return ok;
  }

  /** Counts an open socket; false (and not counted) when the user already has the most allowed. */
  opened(userId: number): boolean {
    const u = this.user(userId);
    if (u.sockets >= this.limits.socketsPerUser) return false;
    u.sockets++;
    return true;
  }

  closed(userId: number): void {
    const u = this.users.get(userId);
    if (u && u.sockets > 0) u.sockets--;
  }

  messageBucket(): TokenBucket {
    return new TokenBucket(LIVE_LIMITS.messages.burst, LIVE_LIMITS.messages.perSecond, this.now);
  }

  private user(userId: number): UserState {
    let u = this.users.get(userId);
    if (!u) {
      // Users with no socket and a full bucket carry no state worth keeping.
      if (this.users.size >= 10_000) {
        for (const [id, x] of this.users) if (x.sockets === 0 && x.connections.full()) this.users.delete(id);
      }
      const { burst, perSecond } = this.limits.connections;
      u = { sockets: 0, connections: new TokenBucket(burst, perSecond, this.now) };
      this.users.set(userId, u);
    }
    return u;
  }
}
