import type { FastifyInstance } from 'fastify';
import { viewCtx } from '../plugins/request-context';
import { notifyChange, notifyDispute, notifyAdmission, notificationsOf, markAllRead, unreadCount } from '../../db/queries/notifications';
import { prepared } from '../../db/client';
import { stillAllowed } from '../realtime/fanout';
import { unreadBadge } from '../../views/notifications/badge';
import { currentTerm } from '../../db/queries/terms';
import { studentCourseProgress } from '../progress/student-progress';
import { dateInZone } from '../../views/format';

const RECORDS = new Set(['attendance', 'mark', 'makeup']);
import { notificationsPage } from '../../views/notifications/page';

export default async function notificationRoutes(app: FastifyInstance) {
  // Stored after the change commits, so they wait for someone who is offline.
  app.changes.subscribe((change) => {
    const before = (prepared(app.db, 'SELECT coalesce(max(id), 0) AS id FROM notifications').get() as { id: number }).id;
    try {
      notifyChange(app.db, change, app.clock());
      notifyDispute(app.db, change, app.clock());
      // A record or a rules change may flip exam admission: recomputed for this one student and course.
      if ((RECORDS.has(change.entity) || change.entity === 'course_rules') && change.studentId && change.courseId) {
        const today = dateInZone(app.clock(), app.config.universityTz);
        const term = currentTerm(app.db, today);
        const course = term ? studentCourseProgress(app.db, change.studentId, term.id, today).find((c) => c.courseId === change.courseId) : undefined;
        if (course) notifyAdmission(app.db, change.studentId, change.courseId, course.admission.admitted, app.clock());
      }
    } catch (err) {
      app.log.error({ err }, 'storing notifications failed');
    }
    try {
      pushBadges(before);
    } catch (err) {
      app.log.error({ err }, 'pushing unread counts failed');
    }
  });

  /** The new unread count to each open page of everyone just notified (their own count only). */
  const pushBadges = (afterId: number) => {
    const users = prepared(app.db, 'SELECT DISTINCT user_id AS id FROM notifications WHERE id > ?').all(afterId) as { id: number }[];
    for (const { id } of users) {
      const topic = `user:${id}`;
      const members = app.hub.members(topic);
      if (members.length === 0) continue;
      const payload = JSON.stringify({ id: 0, html: unreadBadge(unreadCount(app.db, id)).value });
      for (const c of members) if (stillAllowed(app, c, topic)) c.send(payload);
    }
  };

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
