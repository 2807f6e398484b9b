// Who may apply to a mobility call, and until when (issue 17). Pure: the route hands in the facts.

export type CallFacts = { programme: string; year: number; deadline: string; facultyIds: number[] };
export type GroupFacts = { facultyId: number; programme: string; year: number } | null;

export type ApplyRefusal = 'deadline' | 'noGroup' | 'notEligible' | 'applied';

/**
 * Students of the call's programme and year of study, in a faculty with places, may apply once, on or
 * before the deadline (the university's own date: `today` is the university-local day).
 */
export function applyRefusal(call: CallFacts, group: GroupFacts, today: string, alreadyApplied: boolean): ApplyRefusal | null {
  if (today > call.deadline) return 'deadline';
  if (!group) return 'noGroup';
  if (group.programme !== call.programme || group.year !== call.year || !call.facultyIds.includes(group.facultyId)) return 'notEligible';
  if (alreadyApplied) return 'applied';
  return null;
}

/** A call is open for applications until its deadline ends; decisions are taken after as well as before. */
export const callOpen = (call: { deadline: string }, today: string) => today <= call.deadline;
