// The demo's session (issue 16, item 6): the second-year groups' spring term, with its statements signed
// and counter-signed, retakes (the second one by a commission of three), a couple of debts still open (one
// overdue), and this term's first exam statements open for their examiners.
import type { Rng } from './random';
import { defaultDeadline, isDebt, resultFinalMark } from '../../server/domain/session';
import { DEFAULT_COURSE_RULES, SCALES, parseCourseRules } from '../../server/domain/rules';
import type { ResultOutcome } from '../schema';

export type SessionSeedHelpers = {
  ins: (text: string, ...args: unknown[]) => Promise<number>;
  exec: (text: string, ...args: unknown[]) => Promise<void>;
  audit: (at: number, actorId: number | null, actorRole: string | null, action: string, entity: string, entityId: number | null, studentId: number | null,
    courseId: number | null, lessonId: number | null, after: unknown) => Promise<void>;
};

type SeedStudent = { id: number; groupId: number; ability: number };
export type SessionSeedInput = {
  r: Rng; today: string; previousTermId: number; previous: { endsOn: string }; currentTermId: number; current: { endsOn: string };
  dean: number; subject: Map<string, number>; scale: Map<string, number>; groupId: Map<string, number>; userId: Map<string, number>;
  students: SeedStudent[]; currentCourses: { courseId: number; subject: string; groups: number[]; examiner: number }[];
  /** Every course of this term: the session calendar gets a day for each of its groups. */
  calendarCourses: { courseId: number; groups: number[]; passFail: boolean }[];
};

const at = (iso: string, hh = 14) => Date.parse(`${iso}T${String(hh).padStart(2, '0')}:00:00+03:00`);
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

// Spring courses of the second-year groups: what they took in their first year's second term.
const SPRING = [
  { subject: 'ANAT', groups: ['1201', '1202'], kind: 'exam' as const, examiner: 'teacher@demo.test', commission: ['teacher@demo.test', 'teacher2@demo.test', 'i.yaroshevich@demo.test'], day: -20 },
  { subject: 'HIST', groups: ['1201', '1202'], kind: 'exam' as const, examiner: 'teacher-parent@demo.test', commission: ['teacher-parent@demo.test', 's.romanovich@demo.test', 'o.pashkevich@demo.test'], day: -14 },
  { subject: 'LAT', groups: ['1201', '1202'], kind: 'credit' as const, examiner: 'n.adamovich@demo.test', commission: [], day: -30 },
  { subject: 'ANAT', groups: ['E201'], kind: 'exam' as const, examiner: 'i.yaroshevich@demo.test', commission: ['i.yaroshevich@demo.test', 'teacher@demo.test', 'teacher2@demo.test'], day: -18 },
];

export async function seedSession(h: SessionSeedHelpers, x: SessionSeedInput): Promise<{ statements: number; debts: number }> {
  const { r } = x;
  let numbers = 0;
  let statements = 0;
  let openDebts = 0;
  const number = (date: string) => `${date.slice(0, 4)}-${String(++numbers).padStart(4, '0')}`;
  const user = (email: string) => x.userId.get(email)!;

  const statement = async (courseId: number, groupId: number | null, kind: 'exam' | 'credit', date: string, attempt: number, examiners: number[], status: 'open' | 'countersigned',
    results: { studentId: number; outcome: ResultOutcome | null; mark: number | null; finalMark: number | null }[], dean: number) => {
    const closedAt = status === 'open' ? null : at(date, 16);
    const id = await h.ins(`INSERT INTO statements (number, course_id, group_id, kind, date, attempt, status, opened_by, closed_by, closed_at, countersigned_by, countersigned_at, updated_by, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, number(date), courseId, groupId, kind, date, attempt, status, dean, closedAt === null ? null : examiners[0],
    closedAt, closedAt === null ? null : dean, closedAt === null ? null : closedAt + 86_400_000, dean, at(addDays(date, -3), 10));
    for (const [i, t] of examiners.entries()) await h.exec('INSERT INTO statement_examiners (statement_id, teacher_id, position) VALUES (?, ?, ?)', id, t, i + 1);
    for (const res of results) {
      await h.exec('INSERT INTO statement_results (statement_id, student_id, outcome, mark, final_mark, version, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        id, res.studentId, res.outcome, res.mark, res.finalMark, res.outcome === null ? 1 : 2, examiners[0], closedAt ?? at(addDays(date, -3), 10));
    }
    await h.audit(at(addDays(date, -3), 10), dean, 'admin', 'statement.open', 'statement', id, null, courseId, null, { groupId, kind, date, attempt, examiners, students: results.length });
    if (closedAt !== null) {
      await h.audit(closedAt, examiners[0], 'teacher', 'statement.close', 'statement', id, null, courseId, null, { status: 'closed' });
      await h.audit(closedAt + 86_400_000, dean, 'admin', 'statement.countersign', 'statement', id, null, courseId, null, { status: 'countersigned' });
    }
    statements++;
    return id;
  };
  const debt = async (studentId: number, courseId: number, statementId: number, deadline: string, clearedBy: { id: number; date: string } | null) => {
    const id = await h.ins('INSERT INTO academic_debts (student_id, course_id, statement_id, deadline, cleared_at, cleared_by_statement_id) VALUES (?, ?, ?, ?, ?, ?)',
      studentId, courseId, statementId, deadline, clearedBy ? at(clearedBy.date, 16) : null, clearedBy?.id ?? null);
    if (!clearedBy) openDebts++;
    return id;
  };

  // ---------- the spring term ----------
  const scaleOf = { ten: SCALES.ten, pass_fail: SCALES.pass_fail };
  const springEnd = x.previous.endsOn;
  let commissionDone = false;
  let leftOpen = 0;
  for (const c of SPRING) {
    const passFail = c.kind === 'credit';
    const scale = passFail ? scaleOf.pass_fail : scaleOf.ten;
    const rules = passFail ? parseCourseRules({ admission: { minRating: null }, finalRule: { kind: 'exam_only' } }) : DEFAULT_COURSE_RULES;
    const courseId = await h.ins('INSERT INTO courses (subject_id, term_id, scale_id, rules) VALUES (?, ?, ?, ?)', x.subject.get(c.subject), x.previousTermId,
      x.scale.get(passFail ? 'pass_fail' : 'ten'), passFail ? JSON.stringify({ admission: { minRating: null }, finalRule: { kind: 'exam_only' } }) : '{}');
    const gids = c.groups.map((g) => x.groupId.get(g)!);
    for (const g of gids) await h.exec('INSERT INTO course_groups (course_id, group_id) VALUES (?, ?)', courseId, g);
    await h.exec("INSERT INTO course_teachers (course_id, teacher_id, role) VALUES (?, ?, 'lecturer')", courseId, user(c.examiner));
    const failed: { studentId: number; statementId: number; date: string; excused: boolean }[] = [];
    for (const [gi, g] of gids.entries()) {
      const date = addDays(springEnd, c.day + gi * 2);
      const group = x.students.filter((s) => s.groupId === g);
      const results = group.map((s) => {
        const roll = r.next();
        let outcome: ResultOutcome;
        let mark: number | null = null;
        if (roll < 0.03) outcome = 'absent_excused';
        else if (roll < 0.07) outcome = 'absent_unexcused';
        else if (passFail) outcome = s.ability + r.normal(0, 1) >= 4 ? 'credit' : 'no_credit';
        else { outcome = 'mark'; mark = Math.max(2, Math.min(10, Math.round(s.ability + r.normal(0, 1.3)))); }
        const rating = Math.max(4, Math.min(10, s.ability + r.normal(0, 0.6)));
        const finalMark = resultFinalMark({ outcome, mark }, rules, scale, passFail ? null : Math.round(rating * 10) / 10);
        return { studentId: s.id, outcome, mark, finalMark };
      });
      const id = await statement(courseId, g, c.kind, date, 1, [user(c.examiner)], 'countersigned', results, x.dean);
      for (const res of results) {
        if (res.outcome === 'absent_excused') failed.push({ studentId: res.studentId, statementId: id, date, excused: true });
        else if (isDebt({ outcome: res.outcome, mark: res.mark }, scale)) failed.push({ studentId: res.studentId, statementId: id, date, excused: false });
      }
    }
    // Retakes: the first to the examiner, in the resit week; most pass, one does not and goes to a commission.
    const lastOwed = failed.map((f) => !f.excused).lastIndexOf(true);
    for (const [i, f] of failed.entries()) {
      const retakeDate = addDays(springEnd, 5 + (i % 3));
      const pass = () => (passFail ? { outcome: 'credit' as const, mark: null } : { outcome: 'mark' as const, mark: 4 + Math.floor(r.next() * 4) });
      const retake = (date: string, attempt: number, examiners: number[], v: { outcome: ResultOutcome; mark: number | null }) =>
        statement(courseId, null, c.kind, date, attempt, examiners, 'countersigned', [{ studentId: f.studentId, ...v, finalMark: resultFinalMark(v, rules, scale, null) }], x.dean);
      if (f.excused) { // a new attempt that does not count
        await retake(retakeDate, 1, [user(c.examiner)], pass());
        continue;
      }
      if (leftOpen < 2 && i === lastOwed && !passFail) {
        // Still owed: one past its deadline (the dean's list marks it), one with time left.
        await debt(f.studentId, courseId, f.statementId, leftOpen === 0 ? addDays(x.today, -6) : addDays(x.today, 12), null);
        leftOpen++;
        continue;
      }
      if (!commissionDone && c.commission.length === 3) {
        commissionDone = true;
        const s1 = await retake(retakeDate, 2, [user(c.examiner)], { outcome: 'mark', mark: 3 });
        await debt(f.studentId, courseId, f.statementId, defaultDeadline(f.date), { id: s1, date: retakeDate });
        const date2 = addDays(retakeDate, 7);
        const s2 = await retake(date2, 3, c.commission.map(user), { outcome: 'mark', mark: 5 });
        await debt(f.studentId, courseId, s1, defaultDeadline(retakeDate), { id: s2, date: date2 });
        continue;
      }
      const s1 = await retake(retakeDate, 2, [user(c.examiner)], pass());
      await debt(f.studentId, courseId, f.statementId, defaultDeadline(f.date), { id: s1, date: retakeDate });
    }
  }

  // ---------- this term: the first exam statements, open for their examiners ----------
  for (const cc of x.currentCourses) {
    for (const g of cc.groups) {
      const date = addDays(x.current.endsOn, -8 + (cc.courseId % 5));
      await statement(cc.courseId, g, 'exam', date, 1, [cc.examiner], 'open',
        x.students.filter((s) => s.groupId === g).map((s) => ({ studentId: s.id, outcome: null, mark: null, finalMark: null })), x.dean);
    }
  }
  // ---------- this term's session calendar: an exam day (with a reserve day) or a credit day per course and group ----------
  // Credits in the last weeks of the term, exams in the session after it; the open statements' groups on their statement's day.
  const statementDay = new Map(x.currentCourses.flatMap((cc) => cc.groups.map((g) => [`${cc.courseId}:${g}`, addDays(x.current.endsOn, -8 + (cc.courseId % 5))] as const)));
  for (const cc of x.calendarCourses) {
    for (const [gi, g] of cc.groups.entries()) {
      const kind = cc.passFail ? 'credit' : 'exam';
      const date = statementDay.get(`${cc.courseId}:${g}`) ?? (cc.passFail ? addDays(x.current.endsOn, -45 + ((cc.courseId + gi * 2) % 10)) : addDays(x.current.endsOn, -10 + ((cc.courseId + gi * 3) % 12)));
      await h.exec('INSERT INTO session_dates (course_id, group_id, kind, date, reserve_date, start_time, room, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        cc.courseId, g, kind, date, kind === 'exam' ? addDays(date, 7) : null, gi % 2 === 0 ? '09:00' : '13:30', String(201 + ((cc.courseId * 7 + gi) % 40)), x.dean, at(x.today, 10));
    }
  }
  return { statements, debts: openDebts };
}
