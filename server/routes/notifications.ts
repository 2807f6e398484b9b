import type { FastifyInstance } from 'fastify';
import { viewCtx } from '../plugins/request-context';
import { notifyChange, notificationsOf, markAllRead } from '../../db/queries/notifications';
import { notificationsPage } from '../../views/notifications/page';

export default async function notificationRoutes(app: FastifyInstance) {
  // Stored after the change commits, so they wait for someone who is offline.
  app.changes.subscribe((change) => {
    try {
      notifyChange(app.db, change, app.clock());
    } catch (err) {
      app.log.error({ err }, 'storing notifications failed');
    }
  });

  app.get('/notifications', async (req, reply) => {
    if (!req.user) return reply.redirect('/login?next=/notifications', 303);
    return reply.type('text/html').send(notificationsPage(viewCtx(req), notificationsOf(app.db, req.user.id)).value);
  });

  app.post('/notifications/read-all', async (req, reply) => {
    if (!req.user) return reply.redirect('/login', 303);
    markAllRead(app.db, req.user.id, app.clock());
    return reply.redirect('/notifications', 303);
  });
}
