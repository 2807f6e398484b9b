// Each student's course verdicts for the term (rating, absences, make-ups owed, admission with reasons),
// kept per (student, term, day) so the homes, the student page and the guardians' cards stop recomputing
// them from every record on each view. The change stream keeps them current, as the journal rows are
// (server/journal/row-cache.ts): every change to a record, rule, override, membership, excused period or
// lesson writes an audit row, and the row drops what it names, in every process (each reads the log).
// Between a commit of this process and its hand-on nothing is answered from here (CommitGate), and a
// value computed before a drop is never stored after it.
import type { Change } from '../realtime/changes';
import type { CommitGate } from '../realtime/commit-gate';
import type { CourseProgress } from '../../views/progress/model';
import type { Queryable } from '../../db/store';
import { studentCourseProgress, type ProgressSource } from './student-progress';

const MAX_ENTRIES = 20_000;
/** Entities whose changes move no verdict (what a guardian may see is cut later, per link). */
const NOT_IN_PROGRESS = new Set(['guardian_link', 'pairing_code', 'dispute', 'correction_request', 'user_role', 'department', 'faculty']);
/** Account events that change nothing a verdict or its card shows. */
const ACCOUNT_ONLY = new Set(['login.failed', 'user.logout', 'user.reset_link', 'user.password', 'user.password_reset', 'user.create',
  'user.timezone', 'user.notify_settings', 'user.lang']);
/** Course-level entities whose change reaches exactly the students already holding the course. */
const WITHIN_COURSE = new Set(['lesson', 'course_rules', 'mark', 'attendance', 'makeup']);

type Entry = { value: CourseProgress[]; courses: Set<number> };

export class ProgressCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly gate: CommitGate, private readonly max = MAX_ENTRIES) {}

  private static key(studentId: number, termId: number, today: string): string {
    return `${studentId}|${termId}|${today}`;
  }

  /** The cached verdicts, or the computed ones (stored only if nothing changed while they were computed). */
  async get(studentId: number, termId: number, today: string, compute: () => Promise<CourseProgress[]>): Promise<CourseProgress[]> {
    const key = ProgressCache.key(studentId, termId, today);
    const hit = this.gate.open ? this.entries.get(key) : undefined;
    if (hit) return hit.value;
    const ticket = this.gate.ticket();
    const value = await compute();
    if (this.gate.valid(ticket)) {
      if (this.entries.size >= this.max) this.entries.clear(); // old days go first of all, with everything else
      this.entries.set(key, { value, courses: new Set(value.map((c) => c.courseId)) });
    }
    return value;
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(match: (key: string, e: Entry) => boolean): void {
    this.gate.dropped();
    for (const [key, e] of this.entries) if (match(key, e)) this.entries.delete(key);
  }

  private clear(): void {
    this.gate.dropped();
    this.entries.clear();
  }

  /** What one committed audit row makes stale: the narrowest set its ids allow, everything when unsure. */
  invalidate(c: Change): void {
    if (!c.entity.startsWith('audit:')) return; // every row comes once as `audit:<entity>`
    const entity = c.entity.slice('audit:'.length);
    if (NOT_IN_PROGRESS.has(entity) || c.action === 'student.view') return;
    if (entity === 'user') {
      if (ACCOUNT_ONLY.has(c.action)) return;
      // A student's own change (name, group) drops theirs; a teacher's name shows on every card of their courses.
      return this.clear();
    }
    const prefix = c.studentId !== null ? `${c.studentId}|` : null;
    if (prefix !== null) return this.drop((key) => key.startsWith(prefix));
    if (c.courseId !== null && WITHIN_COURSE.has(entity)) return this.drop((_key, e) => e.courses.has(c.courseId!));
    // A course's groups, teachers or scale, a term, the reasons catalogue, a structure change: who holds
    // which course may have moved. Rare; start again.
    this.clear();
  }
}

/** The verdicts as the pages read them: from the cache, computed on the store when missing. Never inside a transaction. */
export function cachedProgress(cache: ProgressCache, store: Queryable): ProgressSource {
  return (studentId, termId, today) => cache.get(studentId, termId, today, () => studentCourseProgress(store, studentId, termId, today));
}
