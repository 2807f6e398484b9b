import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { viewCtx } from '../plugins/request-context';
import { can } from '../policy';
import { notFound } from '../http-error';
import { currentTerm } from '../../db/queries/terms';
import { loadStudentTerm } from '../../db/queries/progress';
import { courseHasMarks } from '../../db/queries/journal';
import { changesSince, markLastSeen, studentHeader } from '../../db/queries/changes';
import { appendAuditSync } from '../../db/queries/audit';
import { lastEventId } from '../../db/queries/live';
import { summarizeCourse, toCourseProgress, studentCourseProgress, progressFor } from '../progress/student-progress';
import { expectedLessons } from '../domain/attendance';
import { ratingSeries } from '../domain/rating';
import { parseCourseRules } from '../domain/rules';
import { studentOverviewPage, studentCoursePage, type TimelineRow } from '../../views/students/pages';
import { t as tj } from '../../views/journal/strings';
import { studentDisputes } from '../../views/disputes/pages';
import { disputesOfStudentCourse } from '../../db/queries/disputes';

/**
 * The student's record through the policy: someone else's child, a classmate or a revoked link is
 * simply not there (404). Marks only where the viewer may see them (an attendance-only link never).
 */
function studentForViewer(req: FastifyRequest, studentId?: number) {
  const p = z.object({ studentId: Id }).safeParse(studentId ? { studentId } : req.params);
  const db = req.server.db;
  if (!p.success || !can(db, req.user, { do: 'student.view', studentId: p.data.studentId })) throw notFound();
  const head = studentHeader(db, p.data.studentId);
  if (!head) throw notFound();
  return { head, showMarks: can(db, req.user, { do: 'student.marks', studentId: p.data.studentId }) };
}

/** Guardians' and admins' reads of a student's record are part of the audit trail (DESIGN.md §2). */
function logView(req: FastifyRequest, studentId: number, courseId: number | null) {
  if (req.user!.id === studentId) return;
  const role = req.user!.roles.some((r) => r.role === 'admin') ? 'admin' : 'guardian';
  appendAuditSync(req.server.db, { actorId: req.user!.id, actorRole: role, ip: req.ip, action: 'student.view', entity: 'student', entityId: studentId, studentId, courseId });
}

export default async function studentRoutes(app: FastifyInstance) {
  app.get('/students/:studentId', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const { head, showMarks } = studentForViewer(req);
    const since = lastEventId(app.db);
    const ctx = viewCtx(req);
    const term = currentTerm(app.db, ctx.today);
    const courses = term ? studentCourseProgress(app.db, head.id, term.id, ctx.today).map((c) => progressFor(c, showMarks)) : [];
    const changes = changesSince(app.db, head.id, req.user.lastSeenAt, app.clock(), showMarks);
    logView(req, head.id, null);
    markLastSeen(app.db, req.user.id, app.clock());
    return reply.type('text/html').send(studentOverviewPage(ctx, head, courses, showMarks, changes, since).value);
  });

  app.get('/students/:studentId/courses/:courseId', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const p = z.object({ studentId: Id, courseId: Id }).safeParse(req.params);
    if (!p.success) throw notFound();
    return sendStudentCoursePage(req, reply, p.data.studentId, p.data.courseId);
  });
}

/** The student's course page; also the answer to a dispute form, with its message. */
export function sendStudentCoursePage(req: FastifyRequest, reply: FastifyReply, studentId: number, courseId: number, o: { message?: string; error?: string; status?: number } = {}) {
  const app = req.server;
  const { head, showMarks } = studentForViewer(req, studentId);
  const ctx = viewCtx(req);
  const term = currentTerm(app.db, ctx.today);
  if (!term) throw notFound();
  const data = loadStudentTerm(app.db, head.id, term.id);
  const course = data.courses.find((c) => c.courseId === courseId);
  if (!course) throw notFound(); // not a course this student attends
  const summary = summarizeCourse(data, course, ctx.today, courseHasMarks(app.db, course.courseId));
  const progress = progressFor(toCourseProgress(course, summary), showMarks);
  const att = new Map(course.attendance.map((a) => [a.lessonId, a]));
  const marks = new Map(course.marks.map((m) => [m.lessonId, m.value]));
  const required = new Map(summary.makeups.map((m) => [m.lessonId, m]));
  const reasonName = new Map(data.reasons.map((r) => [r.id, ctx.lang === 'ru' ? r.nameRu : r.nameEn]));
  const passFail = course.scale.kind === 'pass_fail';
  const rows: TimelineRow[] = expectedLessons(course.lessons, data.memberships, course.groupIds, ctx.today).map((l) => {
    const a = att.get(l.id);
    const m = marks.get(l.id);
    const mk = required.get(l.id);
    return {
      lessonId: l.id, date: l.date, startsAt: l.startsAt, kind: l.kind, topic: l.topic,
      status: a?.status ?? null, reasonStatus: a?.reasonStatus ?? 'unknown', reasonName: a?.reasonId ? reasonName.get(a.reasonId) ?? null : null,
      // Marks are not handed to the page at all where the viewer may not see them.
      mark: !showMarks || m === null || m === undefined ? null : passFail ? tj(ctx.lang, m >= 1 ? 'passShort' : 'failShort') : String(m),
      makeup: mk?.state ?? null, makeupMark: showMarks ? mk?.mark ?? null : null,
    };
  });
  const rules = parseCourseRules(course.rulesJson);
  logView(req, head.id, course.courseId);
  const disputes = req.user!.id === head.id
  ? studentDisputes(ctx, head.id, course.courseId, disputesOfStudentCourse(app.db, head.id, course.courseId), rows.map((r) => ({ id: r.lessonId, date: r.date, kind: r.kind })).reverse(), o.message, o.error)
  : null;
  return reply.code(o.status ?? 200).type('text/html').send(studentCoursePage(ctx, {
    student: head, progress, rows,
    series: showMarks ? ratingSeries(summary.marks, course.scale, rules) : [],
    scale: { min: course.scale.min, max: course.scale.max, kind: course.scale.kind }, threshold: showMarks ? rules.admission.minRating : null,
    termFrom: term.startsOn < (rows[0]?.date ?? term.startsOn) ? rows[0]?.date ?? term.startsOn : term.startsOn, termTo: ctx.today,
    outstanding: summary.makeups.filter((m) => m.state === 'outstanding').map((m) => ({ date: m.date, kind: m.kind, lessonId: m.lessonId })),
    extra: disputes,
  }).value);
}
