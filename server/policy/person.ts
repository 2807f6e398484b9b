// Who manages whose account (issue 10.1). A dean's office used to reach anybody with any tie to its
// faculty, a guardian link included, so recording the university administrator as a "guardian" of a
// student handed over the administrator's card and its password-reset link. Now every role an account
// holds must be within the office's reach, a guardian link never outweighs another role, and
// administrators' accounts are changed only from a strictly higher scope.
import type { PersonTies, FacultyTie } from '../../db/queries/people';

export type AdminScope = 'university' | Set<number>;
/** 'view': the card and the people list. 'manage': details, roles, group, links, access and reset links. */
export type PersonMode = 'view' | 'manage';

/**
 * The faculties a student's memberships count for. Looking back, every group they were ever in (the
 * dean's office keeps seeing a transferred student's history); acting, only the current group's: a
 * student who moved to another faculty is that faculty's now.
 */
function studentFaculties(ms: FacultyTie[], mode: PersonMode): number[] {
  const current = ms.filter((m) => m.current);
  return (mode === 'manage' && current.length ? current : ms).map((m) => m.facultyId);
}

/** Whether an admin of `scope` may see or change the account described by `ties` (never their own: the caller checks). */
export function seesEveryAccount(scope: AdminScope, mode: PersonMode): boolean {
  return scope === 'university' && mode === 'view';
}

export function reachesPerson(scope: AdminScope, ties: PersonTies, mode: PersonMode): boolean {
  const adminGrants = ties.grants.filter((g) => g.role === 'admin');
  // Nothing is above the university: its administrators see everyone, and change every account except
  // another university administrator's (that one is equal, not lower).
  if (scope === 'university') return mode === 'view' || adminGrants.every((g) => g.facultyId !== null);
  // A dean's office is not above any administrator, another dean of its own faculty included.
  if (adminGrants.length) return false;
  const covers = (f: number | null) => f !== null && scope.has(f);
  let tied = false;
  for (const g of ties.grants) {
    if (g.role !== 'teacher') continue;
    if (!covers(g.departmentFacultyId)) return false; // a teacher of another faculty's department
    tied = true;
  }
  if (ties.grants.some((g) => g.role === 'student') || ties.memberships.length) {
    if (!studentFaculties(ties.memberships, mode).some(covers)) return false;
    tied = true;
  }
  // A guardian role carries no authority: a link to one of the office's students is a reason to reach
  // an account that holds nothing else outside the office, never a way past another role.
  const children = new Map<number, FacultyTie[]>();
  for (const c of ties.children) children.set(c.studentId, [...(children.get(c.studentId) ?? []), c]);
  for (const ms of children.values()) if (studentFaculties(ms, mode).some(covers)) tied = true;
  return tied;
}

/** Why an account may not become a guardian; null when it may (a guardian already, no role, or a new account). */
export type GuardianRefusal = 'adminAccount' | 'studentAccount' | 'staffAccount';

/**
 * Who may be linked as a student's guardian. Administrators' and students' accounts never: an office
 * account is no family member's, and a student is in a group, not over one. A teacher who is a parent
 * is linked only through the student's own pairing code (the student's consent, the parent's own act):
 * the dean's office does not record links on staff accounts. Either way the link gives no office any power over the
 * account (reachesPerson), so the teacher's account stays her department's faculty's.
 */
export function guardianRefusal(ties: PersonTies | undefined, via: 'dean' | 'pairingCode'): GuardianRefusal | null {
  if (!ties) return null;
  if (ties.grants.some((g) => g.role === 'admin')) return 'adminAccount';
  if (ties.grants.some((g) => g.role === 'student') || ties.memberships.length) return 'studentAccount';
  if (via === 'dean' && ties.grants.some((g) => g.role === 'teacher')) return 'staffAccount';
  return null;
}
