import type { Lang } from '../db/schema';
import type { CurrentUser } from '../db/queries/users';

/** What every view needs to know about the request it renders for. */
export type ViewCtx = {
  lang: Lang;
  tz: string;
  user: CurrentUser | null;
  csrf: string;
  nonce: string;
  path: string;
  /** Where the language switch comes back to: a GET's path with its query (a `?done=` message, filters). */
  here?: string;
  today: string; // university-local date, YYYY-MM-DD
  unread?: number; // unread notifications, for the header badge
  /** A form sent again with a spent one-time token landed here (server/prg.ts, repeated): say nothing was redone. */
  repeated?: boolean;
};
