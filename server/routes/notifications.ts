import type { FastifyInstance } from 'fastify';
import { viewCtx } from '../plugins/request-context';
import {
  notifyChange, notifyDispute, notifyAdmission, notificationsOf, markAllRead, unreadCount, lastNotificationId, notifiedSince,
} from '../../db/queries/notifications';
import { guardiansEverLinked } from '../../db/queries/guardians';
import { stillAllowed } from '../realtime/fanout';
import { unreadBadge } from '../../views/notifications/badge';
import { currentTerm } from '../../db/queries/terms';
import { studentCourseProgress } from '../progress/student-progress';
import { dateInZone } from '../../views/format';
import { notificationsPage } from '../../views/notifications/page';
import { GUARDIAN_NOTICE_KINDS, noticeFilter } from '../policy';

const RECORDS = new Set(['attendance', 'mark', 'makeup']);

export default async function notificationRoutes(app: FastifyInstance) {
  // Stored after the change commits, so they wait for someone who is offline.
  app.changes.subscribe((change) => {
    const before = lastNotificationId(app.db);
    try {
      notifyChange(app.db, change, app.clock(), GUARDIAN_NOTICE_KINDS);
      notifyDispute(app.db, change, app.clock());
      // A record or a rules change may flip exam admission: recomputed for this one student and course.
      if ((RECORDS.has(change.entity) || change.entity === 'course_rules') && change.studentId && change.courseId) {
        const today = dateInZone(app.clock(), app.config.universityTz);
        const term = currentTerm(app.db, today);
        const course = term ? studentCourseProgress(app.db, change.studentId, term.id, today).find((c) => c.courseId === change.courseId) : undefined;
        if (course) {
          notifyAdmission(app.db, change.studentId, change.courseId, course.admission.admitted, app.clock(), GUARDIAN_NOTICE_KINDS);
        }
      }
    } catch (err) {
      app.log.error({ err }, 'storing notifications failed');
    }
    try {
      pushBadges(notifiedSince(app.db, before));
      // A narrowed or revoked link hides what it no longer covers: that guardian's count drops now.
      if (change.entity === 'guardian_link' && change.studentId) pushBadges(guardiansEverLinked(app.db, change.studentId));
    } catch (err) {
      app.log.error({ err }, 'pushing unread counts failed');
    }
  });

  /** The new unread count (as the policy lets them read it) to each open page of these users, their own count only. */
  const pushBadges = (userIds: number[]) => {
    for (const id of userIds) {
      const topic = `user:${id}`;
      const members = app.hub.members(topic);
      if (members.length === 0) continue;
      const payload = JSON.stringify({ id: 0, html: unreadBadge(unreadCount(app.db, noticeFilter(id))).value });
      for (const c of members) if (stillAllowed(app, c, topic)) c.send(payload);
    }
  };

  app.get('/notifications', async (req, reply) => {
    if (!req.user) return reply.redirect('/login?next=/notifications', 303);
    return reply.type('text/html').send(notificationsPage(viewCtx(req), notificationsOf(app.db, noticeFilter(req.user.id))).value);
  });

  app.post('/notifications/read-all', async (req, reply) => {
    if (!req.user) return reply.redirect('/login', 303);
    markAllRead(app.db, noticeFilter(req.user.id), app.clock());
    return reply.redirect('/notifications', 303);
  });
}
