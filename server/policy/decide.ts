// The decisions of the policy (DESIGN.md §4): pure functions of the facts. Anything not listed is
// refused. A decision that needs an object's facts which were not loaded is a programming error and
// throws, so a forgotten load shows up in the tests instead of as a silent refusal.
import type { CurrentUser } from '../../db/queries/users';
import type { CourseFacts, Facts, Needs, StudentFacts } from './facts';
import { reachesPerson, seesEveryAccount, type PersonMode } from './person';

export type Action =
  | { do: 'journal.view'; courseId: number }
  | { do: 'journal.write'; courseId: number } // a teacher of the course while its term is open
  | { do: 'journal.override'; courseId: number } // an admin covering the course, with a reason, even when locked
  | { do: 'student.view'; studentId: number } // the summary: attendance at least
  | { do: 'student.marks'; studentId: number }
  | { do: 'student.attendance'; studentId: number }
  | { do: 'student.manageLinks'; studentId: number } // pairing codes, revoking guardians
  | { do: 'student.dispute'; studentId: number; courseId: number }
  | { do: 'student.teach'; studentId: number } // a teacher of a course the student attends
  | { do: 'course.teach'; courseId: number } // a teacher of the course, term locked or not (correction requests)
  | { do: 'dispute.resolve'; courseId: number } // the course's teachers or a covering dean's office
  | { do: 'person.view'; userId: number } // the dean's office's card of an account, and the people list
  | { do: 'person.manage'; userId: number } // details, roles, group, guardian links, disable/enable, reset link
  | { do: 'faculty.admin'; facultyId: number }
  | { do: 'university.admin' }
  | { do: 'admin.any' } // any admin page; the data on it is still filtered by faculty
  | { do: 'teacher.any' }
  | { do: 'student.self' } // the signed-in user is a student (their own pages: pairing codes, disputes)
  | { do: 'guardian.any' };

export type Role = CurrentUser['roles'][number]['role'];

/** The objects whose facts an action needs. */
export function needsOf(a: Action): Needs {
  switch (a.do) {
    case 'journal.view': case 'journal.write': case 'journal.override': case 'dispute.resolve':
      return { courses: [a.courseId] };
    case 'student.view': case 'student.marks': case 'student.attendance': case 'student.manageLinks': case 'student.teach':
      return { students: [a.studentId] };
    case 'student.dispute':
      return { students: [a.studentId], courses: [a.courseId] };
    case 'person.view': case 'person.manage':
      return { persons: [a.userId] };
    default:
      return {};
  }
}

export function can(f: Facts, a: Action): boolean {
  const user = f.user;
  if (!user) return false;
  switch (a.do) {
    case 'journal.view':
    case 'dispute.resolve':
      return f.teaches.has(a.courseId) || adminCoversAny(user, course(f, a.courseId)?.facultyIds ?? []);
    case 'journal.write': {
      const c = course(f, a.courseId);
      return !!c && f.teaches.has(a.courseId) && !c.termLocked;
    }
    case 'journal.override':
      return adminCoversAny(user, course(f, a.courseId)?.facultyIds ?? []);
    case 'student.view':
    case 'student.attendance': {
      const s = student(f, a.studentId);
      return !!s && (user.id === a.studentId || f.links.has(a.studentId) || adminCoversAny(user, s.facultyIds));
    }
    case 'student.marks': {
      const s = student(f, a.studentId);
      return !!s && (user.id === a.studentId || f.links.get(a.studentId) === 'full' || adminCoversAny(user, s.facultyIds));
    }
    case 'student.manageLinks': {
      const s = student(f, a.studentId);
      return !!s && (user.id === a.studentId || adminCoversAny(user, s.facultyIds));
    }
    case 'student.dispute': {
      const s = student(f, a.studentId);
      return user.id === a.studentId && hasRole(user, 'student') && !!s && s.courseIds.has(a.courseId);
    }
    case 'student.teach': {
      const s = student(f, a.studentId);
      return hasRole(user, 'teacher') && !!s && [...s.courseIds].some((c) => f.teaches.has(c));
    }
    case 'course.teach':
      return f.teaches.has(a.courseId);
    case 'person.view':
    case 'person.manage': {
      const scope = adminScope(user);
      const early = personDecisionWithoutTies(user, a.userId, a.do === 'person.view' ? 'view' : 'manage');
      if (early === false || !scope) return false;
      const ties = f.persons.get(a.userId);
      if (ties === undefined) throw new Error(`policy: the facts of person ${a.userId} were not loaded`);
      return !!ties && reachesPerson(scope, ties, a.do === 'person.view' ? 'view' : 'manage');
    }
    case 'faculty.admin':
      return adminCoversFaculty(user, a.facultyId);
    case 'university.admin':
      return adminScope(user) === 'university';
    case 'admin.any':
      return adminScope(user) !== null;
    case 'teacher.any':
      return hasRole(user, 'teacher');
    case 'student.self':
      return hasRole(user, 'student');
    case 'guardian.any':
      return hasRole(user, 'guardian');
    default:
      return false;
  }
}

function course(f: Facts, id: number): CourseFacts | null {
  const c = f.courses.get(id);
  if (c === undefined) throw new Error(`policy: the facts of course ${id} were not loaded`);
  return c;
}

function student(f: Facts, id: number): StudentFacts | null {
  const s = f.students.get(id);
  if (s === undefined) throw new Error(`policy: the facts of student ${id} were not loaded`);
  return s;
}

export function hasRole(user: CurrentUser | null, role: Role): boolean {
  return !!user?.roles.some((r) => r.role === role);
}

/** 'university' for a university-wide admin, the faculty ids for a dean's office, null otherwise. */
/**
 * person.view / person.manage when the account's ties do not matter: refused without an admin scope and on
 * one's own card (the account page is for that), granted when the scope sees every account (a university
 * administrator's view); null when the ties decide. The people list asks this first, so a university's list
 * does not load the ties of thousands of accounts.
 */
export function personDecisionWithoutTies(user: CurrentUser | null, userId: number, mode: PersonMode): boolean | null {
  const scope = adminScope(user);
  if (!user || !scope || userId === user.id) return false;
  return seesEveryAccount(scope, mode) ? true : null;
}

export function adminScope(user: CurrentUser | null): 'university' | Set<number> | null {
  if (!user) return null;
  const grants = user.roles.filter((r) => r.role === 'admin');
  if (grants.length === 0) return null;
  if (grants.some((g) => g.facultyId === null)) return 'university';
  return new Set(grants.map((g) => g.facultyId!));
}

export function adminCoversFaculty(user: CurrentUser | null, facultyId: number | null | undefined): boolean {
  const scope = adminScope(user);
  if (scope === 'university') return true;
  return !!scope && facultyId != null && scope.has(facultyId);
}

function adminCoversAny(user: CurrentUser, facultyIds: number[]): boolean {
  return facultyIds.some((fid) => adminCoversFaculty(user, fid));
}

/** The faculties an admin's data is filtered to: 'all' for the university, else their ids; null for non-admins. */
export function adminFacultyIds(user: CurrentUser | null): number[] | 'all' | null {
  const scope = adminScope(user);
  return scope === null ? null : scope === 'university' ? 'all' : [...scope];
}

/** The dean's office prints the journal: admins whose scope covers the group's faculty, nobody else. */
export function mayPrintGroupJournal(user: CurrentUser | null, facultyId: number): boolean {
  const scope = adminFacultyIds(user);
  return scope === 'all' || (scope !== null && scope.includes(facultyId));
}

/**
 * Who manages a lesson of a course (adds, edits, cancels lessons; takes attendance): its teachers
 * while the term is open, a covering dean's office always (with a reason); nobody else.
 */
export function lessonManager(f: Facts, courseId: number): 'teacher' | 'admin' | null {
  if (can(f, { do: 'journal.write', courseId })) return 'teacher';
  if (can(f, { do: 'journal.override', courseId })) return 'admin';
  return null;
}

/** What a guardian's or anyone's view of a student shows: marks, or attendance only. */
export function studentScope(f: Facts, studentId: number): 'full' | 'attendance' | null {
  if (!can(f, { do: 'student.view', studentId })) return null;
  return can(f, { do: 'student.marks', studentId }) ? 'full' : 'attendance';
}

/** Live topics: `user:ID` (one's own badge), `course:ID`, `student:ID` and `child:ID`, `audit`. */
export function mayFollow(f: Facts, topic: string): { allowed: boolean; showMarks: boolean } {
  const [kind, raw] = topic.split(':');
  const n = /^[1-9][0-9]{0,15}$/.test(raw ?? '') ? Number(raw) : NaN;
  const user = f.user;
  if (!user) return { allowed: false, showMarks: false };
  if (kind === 'user') return { allowed: user.id === n, showMarks: false };
  if (kind === 'audit' && raw === undefined) return { allowed: can(f, { do: 'admin.any' }), showMarks: true };
  if (Number.isNaN(n)) return { allowed: false, showMarks: false };
  if (kind === 'course') {
    const allowed = can(f, { do: 'journal.view', courseId: n });
    return { allowed, showMarks: allowed };
  }
  if (kind === 'student' || kind === 'child') {
    const scope = studentScope(f, n);
    return { allowed: scope !== null, showMarks: scope === 'full' };
  }
  return { allowed: false, showMarks: false };
}

/** The objects a live topic needs facts of. */
export function topicNeeds(topic: string): Needs {
  const [kind, raw] = topic.split(':');
  const n = /^[1-9][0-9]{0,15}$/.test(raw ?? '') ? Number(raw) : NaN;
  if (Number.isNaN(n)) return {};
  if (kind === 'course') return { courses: [n] };
  if (kind === 'student' || kind === 'child') return { students: [n] };
  return {};
}

/** A dean's office follows the audit rows about its faculty; rows about nobody in particular, only the university. */
export function auditRowVisible(f: Facts, row: { courseId: number | null; studentId: number | null }): boolean {
  if (can(f, { do: 'university.admin' })) return true;
  if (row.courseId) return can(f, { do: 'journal.override', courseId: row.courseId });
  if (row.studentId) return can(f, { do: 'student.view', studentId: row.studentId }) && can(f, { do: 'admin.any' });
  return false;
}

export function auditRowNeeds(row: { courseId: number | null; studentId: number | null }): Needs {
  return { courses: row.courseId ? [row.courseId] : [], students: row.studentId ? [row.studentId] : [] };
}

/** What a statement's access depends on: its course (faculties through the course's facts) and its examiners. */
export type StatementFacts = { courseId: number; examinerIds: number[] };
export type StatementDeed = 'view' | 'enter' | 'countersign';

/**
 * Statements (issue 16). view: the course's teachers, the statement's examiners (a commission member may
 * teach elsewhere), a covering dean's office. enter: the examiners only (typing, signing, asking for a
 * correction after signing). countersign: a covering dean's office (also opening statements and deciding
 * corrections). Needs the course's facts loaded.
 */
export function statementAccess(f: Facts, st: StatementFacts, deed: StatementDeed): boolean {
  const user = f.user;
  if (!user) return false;
  const examiner = st.examinerIds.includes(user.id) && hasRole(user, 'teacher');
  if (deed === 'enter') return examiner;
  const dean = can(f, { do: 'journal.override', courseId: st.courseId });
  if (deed === 'countersign') return dean;
  return examiner || dean || f.teaches.has(st.courseId);
}
