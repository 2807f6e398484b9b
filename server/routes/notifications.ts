import type { FastifyInstance } from 'fastify';
import { viewCtx } from '../plugins/request-context';
import { notificationsOf, markAllRead } from '../../db/queries/notifications';
import { notificationsPage } from '../../views/notifications/page';
import { noticeFilter } from '../policy';

// Notifications are written by the change that causes them, in its transaction (server/progress/notices.ts);
// the change publisher pushes the unread counts (server/realtime/badges.ts). Here they are read.
export default async function notificationRoutes(app: FastifyInstance) {
  const store = app.store;

  app.get('/notifications', async (req, reply) => {
    if (!req.user) return reply.redirect('/login?next=/notifications', 303);
    return reply.type('text/html').send(notificationsPage(viewCtx(req), await notificationsOf(store, noticeFilter(req.user.id))).value);
  });

  app.post('/notifications/read-all', async (req, reply) => {
    if (!req.user) return reply.redirect('/login', 303);
    await markAllRead(store, noticeFilter(req.user.id), app.clock());
    return reply.redirect('/notifications', 303);
  });
}
