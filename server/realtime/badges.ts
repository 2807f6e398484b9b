// The unread count on every open page of a user, pushed when a change gave them a notification (or,
// for a guardian link, may have hidden some). Called by the change publisher after each batch of the log.
import type { FastifyInstance } from 'fastify';
import { noticeFilter } from '../policy';
import { unreadCount } from '../../db/queries/notifications';
import { unreadBadge } from '../../views/notifications/badge';
import { accessWithin, stillAllowed } from './fanout';

/** The new unread count (as the policy lets them read it) to each open page of these users, their own count only. */
export async function pushBadges(app: FastifyInstance, userIds: Iterable<number>): Promise<void> {
  for (const id of new Set(userIds)) {
    const topic = `user:${id}`;
    const members = app.hub.members(topic);
    if (members.length === 0) continue;
    const payload = JSON.stringify({ id: 0, html: unreadBadge(await unreadCount(app.store, noticeFilter(id))).value });
    const within = accessWithin();
    for (const c of members) if (await stillAllowed(app, c, topic, within)) c.send(payload);
  }
}
