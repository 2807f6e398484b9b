// The one place that answers "may this user see/do this to that object" (DESIGN.md §4), for routes,
// services and the realtime hub alike. Facts load once (facts.ts), decisions are pure (decide.ts),
// a request asks through request.ts. Anything not listed is refused.
import type { LinkScope } from '../../db/schema';
import type { NotifyKind } from '../../db/queries/notify-settings';
import type { NoticeFilter } from '../../db/queries/notifications';
import type { Queryable } from '../../db/store';
import { personTies } from '../../db/queries/people';
import { guardianRefusal as refusalFor, type GuardianRefusal } from './person';

export * from './decide';
export * from './facts';
export * from './request';
export * from './mobility';
export type { GuardianRefusal } from './person';

/**
 * What a guardian may be told about a student, by the scope of their live link: a mark, or an exam
 * admission verdict (which depends on marks), only through a full-scope link; an absence through any
 * live link; a dispute never (it is the student's own). A revoked link tells nothing at all.
 * Applied when a notification is stored and again whenever one is read, so a narrowed or revoked
 * link takes effect at once on the list, the unread count and its live pushes.
 */
export const GUARDIAN_NOTICE_KINDS: Record<LinkScope, readonly NotifyKind[]> = {
  full: ['mark', 'absence', 'admission'],
  attendance: ['absence'],
};

/**
 * The notifications a user may read, as the queries apply it against guardian_links at read time:
 * everything about themself (a student, staff), about someone else only what the current link allows.
 */
export function noticeFilter(userId: number): NoticeFilter {
  return { userId, guardianKinds: GUARDIAN_NOTICE_KINDS };
}

/**
 * Whether the account (null: a new one) may be linked as a student's guardian, by the dean's office
 * from a written consent or by redeeming the student's pairing code; the reason when not.
 */
export async function guardianRefusal(s: Queryable, userId: number | null, via: 'dean' | 'pairingCode'): Promise<GuardianRefusal | null> {
  return refusalFor(userId === null ? undefined : await personTies(s, userId), via);
}
