import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { can } from '../policy';
import { HttpError } from '../http-error';
import { prepared } from '../../db/client';
import type { LiveClient } from '../realtime/hub';
import { fanOut, renderer, showMarksFor, stillAllowed, type Push } from '../realtime/fanout';

const Page = z.string().regex(/^(course|student):[1-9][0-9]{0,15}$|^home$|^audit$/); // ids as server/params.ts reads them
const REPLAY_LIMIT = 200;

/**
 * GET /live: the page's WebSocket. The upgrade is refused (403) from a foreign Origin (cross-site
 * WebSocket hijacking) and (401) without a session. The client only names its page; the server
 * decides the topics from the policy. Messages are JSON {id, html}: the id is the audit row of the
 * change, so a reconnecting page asks for everything after the last id it saw.
 */
export default async function liveRoutes(app: FastifyInstance) {
  const hub = app.hub;
  app.changes.subscribe((change) => {
    try {
      fanOut(app, hub, change);
    } catch (err) {
      app.log.error({ err }, 'live push failed');
    }
  });

  app.get('/live', {
    websocket: true,
    preValidation: async (req) => {
      const origin = req.headers.origin;
      // Thrown, not sent: the one error handler answers in the user's language with the usual headers.
      if (!origin || origin !== new URL(app.config.publicUrl).origin) throw new HttpError(403);
      if (!req.user || !req.session) throw new HttpError(401);
    },
  }, (socket, req) => {
    const page = Page.safeParse((req.query as { page?: unknown }).page);
    const topics = page.success ? topicsFor(req, page.data) : [];
    if (topics.length === 0) {
      socket.close(4404, 'nothing to follow');
      return;
    }
    const client: LiveClient = {
      userId: req.user!.id, sessionId: req.session!.id, lang: req.lang, topics: new Set(),
      send: (data) => { if (socket.readyState === socket.OPEN) socket.send(data); },
      close: (code, reason) => { hub.leave(client); socket.close(code, reason); },
    };
    for (const t of topics) hub.join(client, t);
    hub.join(client, `user:${client.userId}`); // the user's own unread count, on any live page
    socket.on('close', () => hub.leave(client));
    socket.on('message', (raw) => {
      const msg = z.object({ since: z.number().int().min(0) }).safeParse(safeJson(String(raw)));
      if (msg.success) replay(app, client, msg.data.since);
    });
  });
}

function topicsFor(req: FastifyRequest, page: string): string[] {
  const db = req.server.db;
  const user = req.user!;
  if (page === 'home') {
    const own = user.roles.some((r) => r.role === 'student') ? [`student:${user.id}`] : [];
    const children = (prepared(db, 'SELECT student_id AS s FROM guardian_links WHERE guardian_id = ? AND revoked_at IS NULL').all(user.id) as { s: number }[]).map((r) => `child:${r.s}`);
    return [...own, ...children];
  }
  if (page === 'audit') return can(db, user, { do: 'admin.any' }) ? ['audit'] : [];
  const [kind, id] = page.split(':');
  if (kind === 'course') return can(db, user, { do: 'journal.view', courseId: Number(id) }) ? [page] : [];
  return can(db, user, { do: 'student.view', studentId: Number(id) }) ? [page] : [];
}

/** Re-sends the current state of everything that changed after `since` in this client's topics. */
function replay(app: FastifyInstance, client: LiveClient, since: number) {
  for (const topic of client.topics) {
    if (!stillAllowed(app, client, topic)) return;
    const [kind, idText] = topic.split(':');
    if (kind === 'audit' || kind === 'user') continue; // the feed starts from the page; the badge from the page's own count
    const id = Number(idText);
    const rows = (kind === 'course'
      ? prepared(app.db, `SELECT max(id) AS id, lesson_id AS lessonId, student_id AS studentId, course_id AS courseId FROM audit_log
          WHERE id > ? AND course_id = ? AND entity IN ('attendance', 'mark', 'makeup') GROUP BY lesson_id, student_id ORDER BY 1 LIMIT ?`).all(since, id, REPLAY_LIMIT + 1)
      : prepared(app.db, `SELECT max(id) AS id, NULL AS lessonId, student_id AS studentId, course_id AS courseId FROM audit_log
          WHERE id > ? AND student_id = ? AND course_id IS NOT NULL AND entity IN ('attendance', 'mark', 'makeup', 'dispute') GROUP BY course_id ORDER BY 1 LIMIT ?`).all(since, id, REPLAY_LIMIT + 1)) as
      { id: number; lessonId: number | null; studentId: number; courseId: number }[];
    if (rows.length > REPLAY_LIMIT) {
      client.send(JSON.stringify({ id: rows[rows.length - 1].id, reload: true } satisfies Push));
      continue;
    }
    const showMarks = showMarksFor(app, client, topic);
    for (const r of rows) {
      const html = renderer(app, r)(topic, client.lang, showMarks);
      if (html) client.send(JSON.stringify({ id: r.id, html } satisfies Push));
    }
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

