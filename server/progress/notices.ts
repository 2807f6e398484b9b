// The notifications a change owes, written inside the change's own transaction (DESIGN.md §5, the
// outbox): they commit with the record and its audit row or not at all, so a crash between the commit
// and the push can delay a badge but never lose a notice. Each row carries the audit id that caused it;
// the change publisher reads the badges it must push by that id.
import type { Tx } from '../../db/store';
import type { Change } from '../realtime/changes';
import { notifyAdmission, notifyChange } from '../../db/queries/notifications';
import { currentTerm } from '../../db/queries/terms';
import { GUARDIAN_NOTICE_KINDS } from '../policy';
import { termCourseProgress } from './term-admission';
import { studentCourseProgress } from './student-progress';

const FEW = 3;
import { dateInZone } from '../domain/time';

/** What a record change (mark, attendance, make-up) is, as the notifications read it. */
export type RecordNotice = Pick<Change, 'auditId' | 'entity' | 'courseId' | 'studentId'>;

/**
 * Notices for the record changes one transaction made: each change's own (a mark, an absence), then an
 * admission flip once per student and course, tied to the last change that touched it. `before` is the
 * admission the transaction saw before its writes (admissionBefore): only a change of it is a flip.
 */
export async function noticeRecordChanges(
  tx: Tx, changes: RecordNotice[], now: number, universityTz: string, before: AdmissionBaseline,
): Promise<void> {
  const last = new Map<string, AdmissionCheck>();
  for (const c of changes) {
    if (!c.auditId || !c.studentId || !c.courseId) continue;
    await notifyChange(tx, { ...c, action: '', lessonId: null, actorId: null }, now, GUARDIAN_NOTICE_KINDS);
    last.set(keyOf(c.studentId, c.courseId), { studentId: c.studentId, courseId: c.courseId, auditId: c.auditId });
  }
  await noticeAdmissions(tx, [...last.values()], now, universityTz, before);
}

export type AdmissionCheck = { studentId: number; courseId: number; auditId: number };
export type AdmissionKey = { studentId: number; courseId: number };
/** Admitted or not, by `studentId:courseId`; a key missing: the student had no such course then. */
export type AdmissionBaseline = ReadonlyMap<string, boolean>;

const keyOf = (studentId: number, courseId: number) => `${studentId}:${courseId}`;

/**
 * Admission of these students in these courses as the transaction sees it, with a fixed number of queries
 * however many students (a rules change checks a whole stream).
 */
export async function admissionOf(tx: Tx, keys: AdmissionKey[], now: number, universityTz: string): Promise<AdmissionBaseline> {
  const out = new Map<string, boolean>();
  if (keys.length === 0) return out;
  const today = dateInZone(now, universityTz);
  const term = await currentTerm(tx, today);
  if (!term) return out;
  const students = [...new Set(keys.map((c) => c.studentId))];
  // A save touches one student: their own term (a few indexed queries) is far cheaper than the term-wide
  // loader, which reads every record of the term; a rules change over a stream takes the batched path.
  const progress = students.length <= FEW
    ? new Map(await Promise.all(students.map(async (id) => [id, await studentCourseProgress(tx, id, term.id, today)] as const)))
    : await termCourseProgress(tx, students, term.id, today);
  for (const k of keys) {
    const course = progress.get(k.studentId)?.find((c) => c.courseId === k.courseId);
    if (course) out.set(keyOf(k.studentId, k.courseId), course.admission.admitted);
  }
  return out;
}

/**
 * The admission a change starts from, read in its transaction before it writes (issue 14, item 12: a parent
 * was told "not admitted" after marks were entered although the child was not admitted before them either).
 */
export function admissionBefore(tx: Tx, keys: AdmissionKey[], now: number, universityTz: string): Promise<AdmissionBaseline> {
  return admissionOf(tx, keys, now, universityTz);
}

/** Recomputes admission for these students and courses and notes each flip from `before`. */
export async function noticeAdmissions(tx: Tx, checks: AdmissionCheck[], now: number, universityTz: string, before: AdmissionBaseline): Promise<void> {
  const after = await admissionOf(tx, checks, now, universityTz);
  for (const k of checks) {
    const admitted = after.get(keyOf(k.studentId, k.courseId));
    const was = before.get(keyOf(k.studentId, k.courseId));
    if (admitted === undefined || was === admitted) continue;
    await notifyAdmission(tx, k.studentId, k.courseId, admitted, now, GUARDIAN_NOTICE_KINDS, k.auditId);
  }
}
