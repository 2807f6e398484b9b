export type EditCheck = { ok: true } | { ok: false; error: 'edit.reasonRequired' | 'edit.termLocked' | 'edit.futureLesson' | 'edit.cancelledLesson' };

export const MIN_REASON = 3;

/**
 * A record may be changed freely on the lesson day; a later change needs a written reason. Nothing
 * is recorded for a lesson that has not happened yet. After the term is locked a teacher files a
 * correction request instead; an admin override always needs a reason.
 */
export function editPermission(i: { lessonDate: string; today: string; termLocked: boolean; cancelled?: boolean; actor: 'teacher' | 'admin'; reason?: string | null }): EditCheck {
  const hasReason = (i.reason ?? '').trim().length >= MIN_REASON;
  if (i.cancelled) return { ok: false, error: 'edit.cancelledLesson' };
  if (i.lessonDate > i.today) return { ok: false, error: 'edit.futureLesson' };
  if (i.actor === 'admin') return hasReason ? { ok: true } : { ok: false, error: 'edit.reasonRequired' };
  if (i.termLocked) return { ok: false, error: 'edit.termLocked' };
  if (i.lessonDate < i.today && !hasReason) return { ok: false, error: 'edit.reasonRequired' };
  return { ok: true };
}
