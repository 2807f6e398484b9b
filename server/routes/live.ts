import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { allowed } from '../policy';
import { HttpError } from '../http-error';
import { linkedChildren } from '../../db/queries/live';
import type { LiveClient } from '../realtime/hub';
import { fanOut } from '../realtime/fanout';
import { catchUp } from '../realtime/catch-up';

const Page = z.string().regex(/^(course|student):[1-9][0-9]{0,15}$|^home$|^audit$/); // ids as server/params.ts reads them
// The one message a page sends; anything else is dropped after a cheap parse.
const Since = z.object({ since: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) });
// Pushes are text frames even when the fan-out hands over the bytes it encoded once for many sockets.
const TEXT = { binary: false } as const;

/**
 * GET /live: the page's WebSocket. The upgrade is refused (403) from a foreign Origin (cross-site
 * WebSocket hijacking) and (401) without a session. The client only names its page; the server
 * decides the topics from the policy. Messages are JSON {id, html}: the id is the audit row of the
 * change, so a reconnecting page asks for everything after the last id it saw, once per socket.
 * Limits (server/realtime/limits.ts): message size, a message rate per socket (beyond it the socket is
 * closed, 1008), open sockets and new sockets per user (beyond them the upgrade gets 429).
 */
export default async function liveRoutes(app: FastifyInstance) {
  const hub = app.hub;
  const live = app.liveGuard;
  // One piece of live work at a time, in order: a change's pushes all go out before the next change's,
  // and a catch-up never sends a fragment between two pushes of one change (or older than one sent).
  let queue = Promise.resolve();
  const inOrder = (what: string, work: () => Promise<unknown>): Promise<void> =>
    (queue = queue.then(work).then(() => undefined, (err) => app.log.error({ err }, what)));
  app.changes.subscribe((change) => inOrder('live push failed', () => fanOut(app, hub, change)));
  app.addHook('onClose', () => queue);

  app.get('/live', {
    websocket: true,
    preValidation: async (req) => {
      const origin = req.headers.origin;
      // Thrown, not sent: the one error handler answers in the user's language with the usual headers.
      if (!origin || origin !== new URL(app.config.publicUrl).origin) throw new HttpError(403);
      if (!req.user || !req.session) throw new HttpError(401);
      // hx-ws retries a refused upgrade with backoff, so a tab over the limit connects once one closes.
      if (!live.admit(req.user.id)) throw new HttpError(429);
    },
  }, (socket, req) => {
    const userId = req.user!.id;
    // Counted before anything can close the socket, so every close uncounts exactly once.
    if (!live.opened(userId)) {
      socket.close(1008, 'too many sockets');
      return;
    }
    socket.on('close', () => live.closed(userId));
    const client: LiveClient = {
      userId, sessionId: req.session!.id, lang: req.lang, topics: new Set(),
      send: (data) => { if (socket.readyState === socket.OPEN) socket.send(data, TEXT); },
      close: (code, reason) => { hub.leave(client); socket.close(code, reason); },
    };
    let closed = false;
    socket.on('close', () => {
      closed = true;
      hub.leave(client);
    });
    // The topics take the policy a moment; the listeners below are attached now, before it answers, so
    // a message the page sends at once is not lost, and its catch-up waits for the topics.
    const page = Page.safeParse((req.query as { page?: unknown }).page);
    const joined = (page.success ? topicsFor(req, page.data) : Promise.resolve([])).then((topics) => {
      if (closed) return false;
      if (topics.length === 0) {
        socket.close(4404, 'nothing to follow');
        return false;
      }
      for (const t of topics) hub.join(client, t);
      hub.join(client, `user:${client.userId}`); // the user's own unread count, on any live page
      return true;
    }, (err) => {
      app.log.error({ err }, 'live topics failed');
      socket.close(1011, 'server error');
      return false;
    });
    const bucket = live.messageBucket();
    let caughtUp = false;
    let refused = false;
    let catchingUp: Promise<void> = Promise.resolve();
    // Every frame costs a token, pings too (browsers send none); the first one beyond the rate closes
    // the socket, and whatever the flood still has in flight is dropped unread. The one catch-up already
    // accepted is sent first: it is bounded, and the page needs it.
    const flood = () => {
      if (refused) return true;
      if (bucket.take()) return false;
      refused = true;
      live.stats.flooded++;
      void catchingUp.then(() => client.close(1008, 'too many messages'));
      return true;
    };
    socket.on('ping', flood);
    socket.on('message', (raw, isBinary) => {
      if (flood() || isBinary || caughtUp) return;
      const msg = Since.safeParse(safeJson(String(raw)));
      if (!msg.success) return;
      // A reconnect is a new socket with its own catch-up; this one has had its.
      caughtUp = true;
      const since = msg.data.since;
      catchingUp = joined.then((ok) => (ok && !closed ? inOrder('live catch-up failed', () => catchUp(app, client, since, live.stats)) : undefined));
    });
  });
}

async function topicsFor(req: FastifyRequest, page: string): Promise<string[]> {
  const user = req.user!;
  if (page === 'home') {
    const own = (await allowed(req, { do: 'student.self' })) ? [`student:${user.id}`] : [];
    return [...own, ...(await linkedChildren(req.server.store, user.id)).map((s) => `child:${s}`)];
  }
  if (page === 'audit') return (await allowed(req, { do: 'admin.any' })) ? ['audit'] : [];
  const [kind, id] = page.split(':');
  if (kind === 'course') return (await allowed(req, { do: 'journal.view', courseId: Number(id) })) ? [page] : [];
  return (await allowed(req, { do: 'student.view', studentId: Number(id) })) ? [page] : [];
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

