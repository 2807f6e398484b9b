import type { FastifyInstance } from 'fastify';
import { viewCtx } from '../plugins/request-context';
import {
  notifyChange, notifyDispute, notifyAdmission, notificationsOf, markAllRead, unreadCount, lastNotificationId, notifiedSince,
} from '../../db/queries/notifications';
import { guardiansEverLinked } from '../../db/queries/guardians';
import { accessWithin, stillAllowed } from '../realtime/fanout';
import type { Change } from '../realtime/changes';
import { unreadBadge } from '../../views/notifications/badge';
import { currentTerm } from '../../db/queries/terms';
import { studentCourseProgress } from '../progress/student-progress';
import { dateInZone } from '../../views/format';
import { notificationsPage } from '../../views/notifications/page';
import { GUARDIAN_NOTICE_KINDS, noticeFilter } from '../policy';

const RECORDS = new Set(['attendance', 'mark', 'makeup']);

export default async function notificationRoutes(app: FastifyInstance) {
  const store = app.store;
  // Stored after the change commits, so they wait for someone who is offline. One change at a time, in
  // publish order: the badges pushed for a change are the users notified since the change before it.
  let queue = Promise.resolve();
  app.changes.subscribe((change) => {
    queue = queue.then(() => notify(change)).catch((err) => app.log.error({ err }, 'storing notifications failed'));
  });
  app.addHook('onClose', () => queue);

  const notify = async (change: Change) => {
    const before = await lastNotificationId(store);
    try {
      const now = app.clock();
      await notifyChange(store, change, now, GUARDIAN_NOTICE_KINDS);
      await notifyDispute(store, change, now);
      // A record or a rules change may flip exam admission: recomputed for this one student and course.
      if ((RECORDS.has(change.entity) || change.entity === 'course_rules') && change.studentId && change.courseId) {
        const today = dateInZone(now, app.config.universityTz);
        const term = await currentTerm(store, today);
        const course = term ? (await studentCourseProgress(store, change.studentId, term.id, today)).find((c) => c.courseId === change.courseId) : undefined;
        if (course) {
          await notifyAdmission(store, change.studentId, change.courseId, course.admission.admitted, now, GUARDIAN_NOTICE_KINDS);
        }
      }
    } catch (err) {
      app.log.error({ err }, 'storing notifications failed');
    }
    try {
      await pushBadges(await notifiedSince(store, before));
      // A narrowed or revoked link hides what it no longer covers: that guardian's count drops now.
      if (change.entity === 'guardian_link' && change.studentId) await pushBadges(await guardiansEverLinked(store, change.studentId));
    } catch (err) {
      app.log.error({ err }, 'pushing unread counts failed');
    }
  };

  /** The new unread count (as the policy lets them read it) to each open page of these users, their own count only. */
  const pushBadges = async (userIds: number[]) => {
    for (const id of userIds) {
      const topic = `user:${id}`;
      const members = app.hub.members(topic);
      if (members.length === 0) continue;
      const payload = JSON.stringify({ id: 0, html: unreadBadge(await unreadCount(store, noticeFilter(id))).value });
      const within = accessWithin();
      for (const c of members) if (await stillAllowed(app, c, topic, within)) c.send(payload);
    }
  };

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
