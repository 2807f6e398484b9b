// Rendered journal rows (a student's cells and row summary), kept per course, student, language, group
// filter, day and "does the course have marks yet" (which moves every row's admission). A row depends on
// that student's records, memberships, excused periods and override, and on the course's lessons, rules
// and scale: every change to one of them writes an audit row, and the change stream (any process's
// commits, read from the log) drops the rows it names. Between a commit of this process and its hand-on
// nothing is served from here (CommitGate), and a row read before a drop is never stored after it.
import type { Change } from '../realtime/changes';
import type { CommitGate } from '../realtime/commit-gate';

const MAX_ROWS = 50_000;
/** Entities whose changes show in no journal row. */
const NOT_IN_ROWS = new Set(['guardian_link', 'pairing_code', 'dispute', 'correction_request', 'user_role', 'department', 'faculty',
  'statement', 'statement_result', 'statement_correction', 'academic_debt', 'session_date',
  'mobility_partner', 'mobility_call', 'mobility_application']);
/** Account events that change nothing a row shows (a name or record book change does). */
const ACCOUNT_ONLY = new Set(['login.failed', 'user.logout', 'user.reset_link', 'user.password', 'user.password_reset', 'user.create']);

export type RowKey = { studentId: number; groupId: number | null; lang: string; today: string; courseHasMarks: boolean };

export class JournalRowCache {
  private readonly courses = new Map<number, Map<string, string>>();
  private rows = 0;

  constructor(private readonly gate: CommitGate, private readonly max = MAX_ROWS) {}

  static key(k: RowKey): string {
    return `${k.studentId}|${k.groupId ?? ''}|${k.lang}|${k.today}|${k.courseHasMarks ? 1 : 0}`;
  }

  /** Taken before the journal is read from the store; `put` keeps a row only if nothing changed meanwhile. */
  ticket(): number {
    return this.gate.ticket();
  }

  /** Whether anything of this course may be answered from here now. */
  usable(courseId: number): boolean {
    return this.gate.open && (this.courses.get(courseId)?.size ?? 0) > 0;
  }

  get(courseId: number, key: string): string | undefined {
    return this.gate.open ? this.courses.get(courseId)?.get(key) : undefined;
  }

  put(courseId: number, key: string, row: string, ticket: number): void {
    if (!this.gate.valid(ticket)) return;
    if (this.rows >= this.max) this.reset(); // old days and languages go first of all, with everything else
    let course = this.courses.get(courseId);
    if (!course) this.courses.set(courseId, (course = new Map()));
    if (!course.has(key)) this.rows++;
    course.set(key, row);
  }

  get size(): number {
    return this.rows;
  }

  dropCourse(courseId: number): void {
    this.gate.dropped();
    this.rows -= this.courses.get(courseId)?.size ?? 0;
    this.courses.delete(courseId);
  }

  dropStudent(studentId: number, courseId?: number): void {
    this.gate.dropped();
    const prefix = `${studentId}|`;
    for (const [id, course] of this.courses) {
      if (courseId !== undefined && id !== courseId) continue;
      for (const key of course.keys()) {
        if (key.startsWith(prefix)) {
          course.delete(key);
          this.rows--;
        }
      }
    }
  }

  clear(): void {
    this.gate.dropped();
    this.reset();
  }

  private reset(): void {
    this.courses.clear();
    this.rows = 0;
  }

  /** What one committed audit row makes stale: the narrowest set its ids allow, everything when it names none. */
  invalidate(c: Change): void {
    if (!c.entity.startsWith('audit:')) return; // every row comes once as `audit:<entity>`
    const entity = c.entity.slice('audit:'.length);
    if (NOT_IN_ROWS.has(entity)) return;
    if (entity === 'user') {
      if (ACCOUNT_ONLY.has(c.action)) return;
      if (c.entityId === null || c.entityId === undefined) this.clear();
      else this.dropStudent(c.entityId);
      return;
    }
    if (c.action === 'student.view') return;
    if (c.courseId !== null && c.studentId !== null) this.dropStudent(c.studentId, c.courseId);
    else if (c.courseId !== null) this.dropCourse(c.courseId);
    else if (c.studentId !== null) this.dropStudent(c.studentId);
    else this.clear();
  }
}
