// A student's course page (the timeline, the rating chart, their disputes): the student routes send
// it, and so does the dispute form as its answer. Also the look-up every student page starts with.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { viewCtx } from '../plugins/request-context';
import { can, factsOf } from '../policy';
import { notFound } from '../http-error';
import { currentTerm } from '../../db/queries/terms';
import { loadStudentTerm } from '../../db/queries/progress';
import { courseHasMarks } from '../../db/queries/journal';
import { studentHeader } from '../../db/queries/changes';
import { disputesOfStudentCourse } from '../../db/queries/disputes';
import { summarizeCourse, toCourseProgress, progressFor } from './student-progress';
import { expectedLessons } from '../domain/attendance';
import { ratingSeries } from '../domain/rating';
import { parseCourseRules } from '../domain/rules';
import { markWord } from '../../views/scale-words';
import { lastEventId } from '../../db/queries/live';
import { studentCoursePage, type TimelineRow } from '../../views/students/pages';
import { studentPlannedExams } from '../../db/queries/session-calendar';
import { studentDisputes } from '../../views/disputes/pages';

/**
 * The student's record through the policy: someone else's child, a classmate or a revoked link is
 * simply not there (404). Marks only where the viewer may see them (an attendance-only link never).
 */
export async function studentForViewer(req: FastifyRequest, studentId?: number) {
  const p = z.object({ studentId: Id }).safeParse(studentId ? { studentId } : req.params);
  if (!p.success) throw notFound();
  const f = await factsOf(req, { students: [p.data.studentId] });
  if (!can(f, { do: 'student.view', studentId: p.data.studentId })) throw notFound();
  const head = await studentHeader(req.server.store, p.data.studentId);
  if (!head) throw notFound();
  return { head, showMarks: can(f, { do: 'student.marks', studentId: p.data.studentId }) };
}

/** Guardians' and admins' reads of a student's record are part of the audit trail (DESIGN.md §2). */
export async function logView(req: FastifyRequest, studentId: number, courseId: number | null) {
  if (req.user!.id === studentId) return;
  const role = can(await factsOf(req), { do: 'admin.any' }) ? 'admin' : 'guardian';
  const entry = { actorId: req.user!.id, actorRole: role, ip: req.ip, action: 'student.view', entity: 'student', entityId: studentId, studentId, courseId };
  req.server.visits.viewed(entry, req.server.clock()); // written with the next flush, not on this request's path
}

/** The student's course page; also the answer to a dispute form, with its message. */
export async function sendStudentCoursePage(req: FastifyRequest, reply: FastifyReply, studentId: number, courseId: number, o: { message?: string; error?: string; status?: number } = {}) {
  const app = req.server;
  const { head, showMarks } = await studentForViewer(req, studentId);
  const ctx = viewCtx(req);
  const term = await currentTerm(app.store, ctx.today);
  if (!term) throw notFound();
  const since = await lastEventId(app.store); // before the data: a change committed meanwhile still reaches the page
  const data = await loadStudentTerm(app.store, head.id, term.id);
  const course = data.courses.find((c) => c.courseId === courseId);
  if (!course) throw notFound(); // not a course this student attends
  const summary = summarizeCourse(data, course, ctx.today, await courseHasMarks(app.store, course.courseId));
  const progress = progressFor(toCourseProgress(course, summary), showMarks);
  const att = new Map(course.attendance.map((a) => [a.lessonId, a]));
  const marks = new Map(course.marks.map((m) => [m.lessonId, m.value]));
  const required = new Map(summary.makeups.map((m) => [m.lessonId, m]));
  const reasonName = new Map(data.reasons.map((r) => [r.id, ctx.lang === 'ru' ? r.nameRu : r.nameEn]));
  const rows: TimelineRow[] = expectedLessons(course.lessons, data.memberships, course.groupIds, ctx.today).map((l) => {
    const a = att.get(l.id);
    const m = marks.get(l.id);
    const mk = required.get(l.id);
    return {
      lessonId: l.id, date: l.date, startsAt: l.startsAt, kind: l.kind, topic: l.topic,
      status: a?.status ?? null, reasonStatus: a?.reasonStatus ?? 'unknown', reasonName: a?.reasonId ? reasonName.get(a.reasonId) ?? null : null,
      // Marks are not handed to the page at all where the viewer may not see them.
      mark: !showMarks || m === null || m === undefined ? null : markWord(ctx.lang, course.scale.kind, m),
      makeup: mk?.state ?? null, makeupMark: showMarks ? mk?.mark ?? null : null,
    };
  });
  const rules = parseCourseRules(course.rulesJson);
  await logView(req, head.id, course.courseId);
  const disputes = req.user!.id === head.id
  ? studentDisputes(ctx, head.id, course.courseId, await disputesOfStudentCourse(app.store, head.id, course.courseId), rows.map((r) => ({ id: r.lessonId, date: r.date, kind: r.kind })).reverse(), o.message, o.error)
  : null;
  return reply.code(o.status ?? 200).type('text/html').send(studentCoursePage(ctx, {
    student: head, progress, rows,
    series: showMarks ? ratingSeries(summary.marks, course.scale, rules) : [],
    scale: { min: course.scale.min, max: course.scale.max, kind: course.scale.kind }, threshold: showMarks ? rules.admission.minRating : null,
    termFrom: term.startsOn < (rows[0]?.date ?? term.startsOn) ? rows[0]?.date ?? term.startsOn : term.startsOn, termTo: ctx.today,
    outstanding: summary.makeups.filter((m) => m.state === 'outstanding').map((m) => ({ date: m.date, kind: m.kind, lessonId: m.lessonId })),
    extra: disputes, liveSince: since, examDays: (await studentPlannedExams(app.store, head.id, ctx.today)).filter((x) => x.courseId === course.courseId),
  }).value);
}
