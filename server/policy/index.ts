// The one place that answers "may this user see/do this to that object" (DESIGN.md §4).
// Routes and the realtime hub both ask here. Anything not listed is refused.
import type { DB } from '../../db/client';
import type { CurrentUser } from '../../db/queries/users';
import type { LinkScope } from '../../db/schema';
import type { NotifyKind } from '../../db/queries/notify-settings';
import type { NoticeFilter } from '../../db/queries/notifications';
import {
  activeLinkScope, adminCoversFaculty, adminScope, courseFacultyIds, hasRole, isStudent, studentFacultyIds,
  studentInCourse, teachesCourse, teachesStudent, termLockedForCourse,
} from './scope';
import { personTies } from '../../db/queries/people';
import { reachesPerson, guardianRefusal as refusalFor, type GuardianRefusal } from './person';

export type Action =
  | { do: 'journal.view'; courseId: number }
  | { do: 'journal.write'; courseId: number } // a teacher of the course while its term is open
  | { do: 'journal.override'; courseId: number } // an admin covering the course, with a reason, even when locked
  | { do: 'student.view'; studentId: number } // the summary: attendance at least
  | { do: 'student.marks'; studentId: number }
  | { do: 'student.attendance'; studentId: number }
  | { do: 'student.manageLinks'; studentId: number } // pairing codes, revoking guardians
  | { do: 'student.dispute'; studentId: number; courseId: number }
  | { do: 'course.teach'; courseId: number } // a teacher of the course, term locked or not (correction requests)
  | { do: 'dispute.resolve'; courseId: number } // the course's teachers or a covering dean's office
  | { do: 'person.view'; userId: number } // the dean's office's card of an account, and the people list
  | { do: 'person.manage'; userId: number } // details, roles, group, guardian links, disable/enable, reset link
  | { do: 'faculty.admin'; facultyId: number }
  | { do: 'university.admin' }
  | { do: 'admin.any' } // any admin page; the data on it is still filtered by faculty
  | { do: 'teacher.any' };

export function can(db: DB, user: CurrentUser | null, a: Action): boolean {
  if (!user) return false;
  switch (a.do) {
    case 'journal.view':
      return teachesCourse(db, user.id, a.courseId) || adminCoversAnyFaculty(user, courseFacultyIds(db, a.courseId));
    case 'journal.write':
      return teachesCourse(db, user.id, a.courseId) && !termLockedForCourse(db, a.courseId);
    case 'journal.override':
      return adminCoversAnyFaculty(user, courseFacultyIds(db, a.courseId));
    case 'student.view':
    case 'student.attendance':
      return isStudent(db, a.studentId) && (user.id === a.studentId || activeLinkScope(db, user.id, a.studentId) !== null || adminCoversStudent(db, user, a.studentId));
    case 'student.marks':
      return isStudent(db, a.studentId) && (user.id === a.studentId || activeLinkScope(db, user.id, a.studentId) === 'full' || adminCoversStudent(db, user, a.studentId));
    case 'student.manageLinks':
      return isStudent(db, a.studentId) && (user.id === a.studentId || adminCoversStudent(db, user, a.studentId));
    case 'student.dispute':
      return user.id === a.studentId && hasRole(user, 'student') && studentInCourse(db, a.studentId, a.courseId);
    case 'course.teach':
      return teachesCourse(db, user.id, a.courseId);
    case 'dispute.resolve':
      return teachesCourse(db, user.id, a.courseId) || adminCoversAnyFaculty(user, courseFacultyIds(db, a.courseId));
    case 'person.view':
    case 'person.manage': {
      const scope = adminScope(user);
      // Nobody acts on their own card: their own account page is for that.
      if (!scope || a.userId === user.id) return false;
      const ties = personTies(db, a.userId);
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
    default:
      return false;
  }
}

function adminCoversAnyFaculty(user: CurrentUser, facultyIds: number[]): boolean {
  return facultyIds.some((f) => adminCoversFaculty(user, f));
}

function adminCoversStudent(db: DB, user: CurrentUser, studentId: number): boolean {
  return adminScope(user) !== null && adminCoversAnyFaculty(user, studentFacultyIds(db, studentId));
}

/** Teachers see a student's record only through the journals they keep. */
export function teacherSeesStudent(db: DB, user: CurrentUser, studentId: number): boolean {
  return hasRole(user, 'teacher') && teachesStudent(db, user.id, studentId);
}

export { adminScope, hasRole } from './scope';

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
export function guardianRefusal(db: DB, userId: number | null, via: 'dean' | 'pairingCode'): GuardianRefusal | null {
  return refusalFor(userId === null ? undefined : personTies(db, userId), via);
}
export type { GuardianRefusal } from './person';
