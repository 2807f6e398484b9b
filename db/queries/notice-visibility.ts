// Which stored notifications a reader may see now (the policy's answer, applied in SQL): shared by the
// notifications page and the e-mail that is made of the same rows, so both follow a link's current scope.
import { inArray, sql, type SQL } from 'drizzle-orm';
import type { NotifyKind } from './notify-settings';
import type { LinkScope } from '../schema';

/** Which notification kinds a guardian's link of each scope lets through (the policy's table). */
export type GuardianKinds = Record<LinkScope, readonly NotifyKind[]>;

/**
 * Whose notifications are read, and what of them: the policy's answer (server/policy noticeFilter).
 * A row about the reader themself, or about nobody, is theirs; a row about another student shows only
 * while the reader's newest live link to that student has a scope that lets its kind through.
 */
export type NoticeFilter = { userId: number; guardianKinds: GuardianKinds };

/** `n.kind IN (…)`, or false for a scope that lets no kind through. */
const kindIn = (kinds: readonly NotifyKind[]): SQL => (kinds.length ? inArray(sql`n.kind`, [...kinds]) : sql`${false}`);

// The newest live link of the reader to the row's student (as the policy's activeLinkScope) decides.
export const noticeVisible = (f: NoticeFilter): SQL => sql`n.user_id = ${f.userId} AND (n.student_id IS NULL OR n.student_id = n.user_id OR
  CASE (SELECT l.scope FROM guardian_links l WHERE l.guardian_id = n.user_id AND l.student_id = n.student_id
          AND l.revoked_at IS NULL ORDER BY l.id DESC LIMIT 1)
    WHEN 'full' THEN ${kindIn(f.guardianKinds.full)}
    WHEN 'attendance' THEN ${kindIn(f.guardianKinds.attendance)}
    ELSE ${false} END)`;

