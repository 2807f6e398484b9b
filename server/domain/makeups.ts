import type { LessonKind, MakeupStatus } from './types';
import type { EffectiveAbsence } from './attendance';

export type MakeupFact = { lessonId: number; status: MakeupStatus; mark: number | null; doneOn: string | null };
export type RequiredMakeup = { lessonId: number; kind: LessonKind; date: string; state: 'outstanding' | 'done' | 'waived'; mark: number | null };

/**
 * An absence from a practical or laboratory class must be worked off at the department, unless its
 * reason says otherwise (illness: yes; blood donation, bereavement, a summons, mobility: no).
 * An absence whose reason is not yet known still needs one: the student may not assume it is excused.
 */
export function requiredMakeups(absences: EffectiveAbsence[], makeupKinds: LessonKind[], reasonRequiresMakeup: (reasonId: number) => boolean, makeups: Map<number, MakeupFact>): RequiredMakeup[] {
  const out: RequiredMakeup[] = [];
  for (const a of absences) {
    if (!makeupKinds.includes(a.kind)) continue;
    if (a.reasonStatus === 'excused' && a.reasonId !== null && !reasonRequiresMakeup(a.reasonId)) continue;
    const m = makeups.get(a.lessonId);
    out.push({ lessonId: a.lessonId, kind: a.kind, date: a.date, state: m?.status === 'done' ? 'done' : m?.status === 'waived' ? 'waived' : 'outstanding', mark: m?.status === 'done' ? m.mark : null });
  }
  return out;
}

export function outstandingCount(required: RequiredMakeup[]): number {
  let n = 0;
  for (const r of required) if (r.state === 'outstanding') n++;
  return n;
}
