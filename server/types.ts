import type { DB } from '../db/client';
import type { Config } from './config';
import type { CurrentUser } from '../db/queries/users';
import type { Session } from './auth/session';
import type { Lang } from '../db/schema';
import type { LoginThrottle } from './auth/login-limiter';
import type { ChangeFeed } from './realtime/changes';
import type { Hub } from './realtime/hub';

declare module 'fastify' {
  interface FastifyInstance {
    db: DB;
    config: Config & { secret: string };
    /** Injectable clock so tests can stand on "the day after the lesson". */
    clock: () => number;
    loginLimiter: LoginThrottle;
    /** Committed changes, for the realtime hub and notifications. */
    changes: ChangeFeed;
    /** Live sockets by topic (server/routes/live.ts). */
    hub: Hub;
  }
  interface FastifyRequest {
    user: CurrentUser | null;
    session: Session | null;
    lang: Lang;
    nonce: string;
    csrfToken: string;
  }
}
