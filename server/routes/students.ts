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
import { studentCourseProgress, progressFor } from '../progress/student-progress';
import { sendStudentCoursePage, studentForViewer, logView } from '../progress/course-page';
import { studentOverviewPage } from '../../views/students/pages';
import { placementsOfStudent } from '../../db/queries/mobility-placements';
import { placementsCard } from '../../views/mobility/placements';

export default async function studentRoutes(app: FastifyInstance) {
  app.get('/students/:studentId', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const { head, showMarks } = await studentForViewer(req);
    const since = await lastEventId(app.store);
    const ctx = viewCtx(req);
    const term = await currentTerm(app.store, ctx.today);
    const courses = term ? (await studentCourseProgress(app.store, head.id, term.id, ctx.today)).map((c) => progressFor(c, showMarks)) : [];
    const changes = await changesSince(app.store, head.id, app.visits.lastSeen(req.user.id, req.user.lastSeenAt), app.clock(), showMarks);
    await logView(req, head.id, null);
    app.visits.seen(req.user.id, app.clock());
    return reply.type('text/html').send(studentOverviewPage(ctx, head, courses, showMarks, changes, since, placementsCard(ctx.lang, await placementsOfStudent(app.store, head.id))).value);
  });

  app.get('/students/:studentId/courses/:courseId', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const p = z.object({ studentId: Id, courseId: Id }).safeParse(req.params);
    if (!p.success) throw notFound();
    const done = doneKey(req, ['sent'] as const); // a dispute just sent (server/routes/disputes.ts)
    return sendStudentCoursePage(req, reply, p.data.studentId, p.data.courseId, done ? { message: td(req.lang, done) } : {});
  });
}
