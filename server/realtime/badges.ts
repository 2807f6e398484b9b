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
    const n = await unreadCount(app.store, noticeFilter(id));
    const payloads = new Map<string, string>(); // the badge speaks the page's language
    const within = accessWithin();
    for (const c of members) {
      if (!(await stillAllowed(app, c, topic, within))) continue;
      let p = payloads.get(c.lang);
      if (p === undefined) payloads.set(c.lang, (p = JSON.stringify({ id: 0, html: unreadBadge(n, c.lang).value })));
      c.send(p);
    }
  }
}
