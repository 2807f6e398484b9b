import type { Store } from '../db/store';
import type { Config } from './config';
import type { CurrentUser } from '../db/queries/users';
import type { Session } from './auth/session';
import type { Lang } from '../db/schema';
import type { LoginThrottle } from './auth/login-limiter';
import type { ChangeFeed } from './realtime/changes';
import type { Hub } from './realtime/hub';
import type { Bus } from './realtime/bus';
import type { ChangePublisher } from './realtime/publisher';
import type { LiveGuard } from './realtime/limits';
import type { VisitLog } from './plugins/visit-log';
import type { SessionCache } from './auth/session-cache';
import type { CommitGate } from './realtime/commit-gate';
import type { ProgressCache } from './progress/progress-cache';
import type { JournalRowCache } from './journal/row-cache';
import type { MailSender } from './mail/sender';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route is authorised by a signed token in its URL, not by a session (server/routes/mail.ts). */
    csrf?: boolean;
  }
  interface FastifyInstance {
    /** The database: async queries, transactions (db/store.ts). */
    store: Store;
    config: Config & { secret: string };
    /** Injectable clock so tests can stand on "the day after the lesson". */
    clock: () => number;
    loginLimiter: LoginThrottle;
    /** Committed changes in audit-id order, from the publisher to the realtime fan-out. */
    changes: ChangeFeed;
    /** The bell between processes: "the log is committed up to id N" (in memory on one process). */
    bus: Bus;
    /** Reads the audit log after each commit and hands every row to `changes`, once, in order. */
    publisher: ChangePublisher;
    /** Live sockets by topic (server/routes/live.ts). */
    hub: Hub;
    /** What live sockets may cost, per socket and per user, and counters of the work they did. */
    liveGuard: LiveGuard;
    /** Last-seen stamps and views of a student's record, written together about once a second. */
    visits: VisitLog;
    /** Signed-in sessions and their users between requests, dropped by the change stream. */
    sessions: SessionCache;
    /** Closed between a commit of this process and the hand-on of its rows: the caches wait for it. */
    commitGate: CommitGate;
    /** Rendered journal rows per course, student and language, dropped by the change stream. */
    journalRows: JournalRowCache;
    /** Each student's course verdicts per term and day, dropped by the change stream. */
    progress: ProgressCache;
    /** Sends the mail outbox after commit; null when e-mail is off (no SMTP_URL). */
    mail: MailSender | null;
  }
  interface FastifyRequest {
    user: CurrentUser | null;
    session: Session | null;
    lang: Lang;
    nonce: string;
    csrfToken: string;
  }
}
