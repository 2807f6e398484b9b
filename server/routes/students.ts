import { doneKey } from '../prg';
import { t as td } from '../../views/disputes/strings';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { viewCtx } from '../plugins/request-context';
import { notFound } from '../http-error';
import { currentTerm } from '../../db/queries/terms';
import { changesSince } from '../../db/queries/changes';
import { lastEventId } from '../../db/queries/live';
import { progressFor } from '../progress/student-progress';
import { cachedProgress } from '../progress/progress-cache';
import { sendStudentCoursePage, studentForViewer, logView } from '../progress/course-page';
import { studentOverviewPage } from '../../views/students/pages';
import { studentOpenDebts } from '../../db/queries/debts';
import { studentSessionSection } from '../../views/session/debts';
import { examCalendar } from '../../views/session/calendar';
import { studentUpcomingExams } from '../../db/queries/statements';
import { studentPlannedExams } from '../../db/queries/session-calendar';
import { html } from '../../views/html';
import { placementsOfStudent } from '../../db/queries/mobility-placements';
import { placementsCard } from '../../views/mobility/placements';

export default async function studentRoutes(app: FastifyInstance) {
  const progress = cachedProgress(app.progress, app.store);
  app.get('/students/:studentId', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const { head, showMarks } = await studentForViewer(req);
    const since = await lastEventId(app.store);
    const ctx = viewCtx(req);
    const term = await currentTerm(app.store, ctx.today);
    const courses = term ? (await progress(head.id, term.id, ctx.today)).map((c) => progressFor(c, showMarks)) : [];
    const changes = await changesSince(app.store, head.id, app.visits.lastSeen(req.user.id, req.user.lastSeenAt), app.clock(), showMarks);
    await logView(req, head.id, null);
    app.visits.seen(req.user.id, app.clock());
    // Debts and the record book are results: shown only to those who may see marks (no hint otherwise).
    const planned = await studentPlannedExams(app.store, head.id, ctx.today);
    const exams = examCalendar(ctx, head.id, await studentUpcomingExams(app.store, head.id, ctx.today), planned);
    const session = html`${exams}${showMarks ? studentSessionSection(ctx, head.id, await studentOpenDebts(app.store, head.id)) : null}`;
    const mobility = placementsCard(ctx.lang, await placementsOfStudent(app.store, head.id));
    return reply.type('text/html').send(studentOverviewPage(ctx, head, courses, showMarks, changes, since, { session, mobility, examDays: planned }).value);
  });

  app.get('/students/:studentId/courses/:courseId', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const p = z.object({ studentId: Id, courseId: Id }).safeParse(req.params);
    if (!p.success) throw notFound();
    const done = doneKey(req, ['sent'] as const); // a dispute just sent (server/routes/disputes.ts)
    return sendStudentCoursePage(req, reply, p.data.studentId, p.data.courseId, done ? { message: td(req.lang, done) } : {});
  });
}
