import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { viewCtx } from '../plugins/request-context';
import { allowed, can, factsOf } from '../policy';
import { notFound } from '../http-error';
import { currentTerm } from '../../db/queries/terms';
import { termCourseIds } from '../../db/queries/lesson-admin';
import { readRecord } from '../../db/queries/records';
import { lessonById } from '../../db/queries/lessons';
import { loadJournal } from '../../db/queries/journal';
import { cellKey } from '../domain/cell-key';
import { disputeById, openDispute, openDisputes, closeDispute } from '../../db/queries/disputes';
import { notifyDispute } from '../../db/queries/notifications';
import { writeCell } from '../journal/write-cell';
import { expectedAt } from '../../views/journal/grid';
import { cellText } from '../../views/journal/cell';
import { disputesPage } from '../../views/disputes/pages';
import { translateKey } from '../../views/translate';
import { t } from '../../views/disputes/strings';
import { registerNav } from '../../views/layout/nav';
import { sendStudentCoursePage } from '../progress/course-page';
import { doneKey, earlierOutcome, FormRefused, once, seeOther, withDone } from '../prg';

registerNav({ href: '/disputes', label: { en: 'Disputes', ru: 'Апелляции' }, roles: ['teacher', 'admin'], order: 25 });

/** Courses whose disputes this user answers: the ones they teach, and those their dean's office covers. */
async function resolvableCourses(req: FastifyRequest, termId: number): Promise<number[]> {
  const all = await termCourseIds(req.server.store, termId);
  const f = await factsOf(req, { courses: all });
  return all.filter((id) => can(f, { do: 'dispute.resolve', courseId: id }));
}

export default async function disputeRoutes(app: FastifyInstance) {
  app.post('/students/:studentId/courses/:courseId/disputes', async (req, reply) => {
    const p = z.object({ studentId: Id, courseId: Id }).safeParse(req.params);
    if (!p.success || !(await allowed(req, { do: 'student.dispute', studentId: p.data.studentId, courseId: p.data.courseId }))) throw notFound();
    const { studentId, courseId } = p.data;
    const body = z.object({ lessonId: Id, subject: z.enum(['mark', 'attendance']), comment: z.string().trim().min(5).max(1000) }).safeParse(req.body ?? {});
    if (!body.success) return sendStudentCoursePage(req, reply, studentId, courseId, { error: t(req.lang, 'commentRequired'), status: 422 });
    const lesson = await lessonById(app.store, body.data.lessonId);
    const d = lesson && lesson.courseId === courseId ? await loadJournal(app.store, courseId, null, studentId) : undefined;
    const jl = d?.lessons.find((l) => l.id === body.data.lessonId);
    if (!d || !jl || !d.students[0] || !expectedAt(d.students[0], jl, d.course.groups.map((g) => g.id)) || jl.date > viewCtx(req).today) {
      return sendStudentCoursePage(req, reply, studentId, courseId, { error: translateKey(req.lang, 'cell.studentNotInCourse'), status: 422 });
    }
    const d0 = { studentId, lessonId: jl.id, courseId, subject: body.data.subject, comment: body.data.comment };
    const back = withDone(`/students/${studentId}/courses/${courseId}`, 'sent');
    return seeOther(reply, await once(app.store, req, back, (tx) => openDispute(tx, d0, { id: req.user!.id, role: 'student', ip: req.ip }, app.clock())));
  });

  // The form's address, opened directly (a bookmark, a reload of an old answer): the course page it is on.
  app.get('/students/:studentId/courses/:courseId/disputes', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const p = z.object({ studentId: Id, courseId: Id }).safeParse(req.params);
    if (!p.success) throw notFound();
    return sendStudentCoursePage(req, reply, p.data.studentId, p.data.courseId);
  });

  const list = async (req: FastifyRequest, o: { message?: string; error?: string } = {}) => {
    const ctx = viewCtx(req);
    const term = await currentTerm(app.store, ctx.today);
    const disputes = term ? await openDisputes(app.store, await resolvableCourses(req, term.id)) : [];
    const current = new Map(await Promise.all(disputes.map(async (d) => {
      const j = await loadJournal(app.store, d.courseId, null, d.studentId);
      return [d.id, cellText(ctx.lang, j?.records.get(cellKey(d.lessonId, d.studentId)), j?.course.scale.kind === 'pass_fail')] as const;
    })));
    return disputesPage(ctx, disputes, current, o).value;
  };

  app.get('/disputes', async (req, reply) => {
    if (!req.user) return reply.redirect('/login?next=/disputes', 303);
    const f = await factsOf(req);
    if (!can(f, { do: 'teacher.any' }) && !can(f, { do: 'admin.any' })) throw notFound();
    const done = doneKey(req, ['resolved'] as const);
    return reply.type('text/html').send(await list(req, done ? { message: t(req.lang, done) } : {}));
  });

  app.get('/disputes/:disputeId', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const p = z.object({ disputeId: Id }).safeParse(req.params);
    const d = p.success ? await disputeById(app.store, p.data.disputeId) : undefined;
    if (!d || !(await allowed(req, { do: 'dispute.resolve', courseId: d.courseId }))) throw notFound();
    return seeOther(reply, `/disputes#dispute-${d.id}`);
  });

  // Accepted: the correction goes through the journal's one write path (policy, rules, version,
  // audit) with the answer as its reason, and the dispute closes in the same transaction.
  app.post('/disputes/:disputeId', async (req, reply) => {
    const p = z.object({ disputeId: Id }).safeParse(req.params);
    const d = p.success ? await disputeById(app.store, p.data.disputeId) : undefined;
    if (!d || !(await allowed(req, { do: 'dispute.resolve', courseId: d.courseId }))) throw notFound();
    const body = z.object({ decision: z.enum(['accepted', 'rejected']), answer: z.string().trim().min(3).max(500), value: z.string().trim().max(20).optional() }).safeParse(req.body ?? {});
    if (!body.success) return reply.code(422).type('text/html').send(await list(req, { error: t(req.lang, 'answerRequired') }));
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    if (d.status !== 'open') return reply.code(409).type('text/html').send(await list(req, { error: translateKey(req.lang, 'conflict') }));
    const b = body.data;
    const facts = await factsOf(req, { courses: [d.courseId] });
    const actor = { id: req.user!.id, role: can(facts, { do: 'journal.write', courseId: d.courseId }) ? 'teacher' : 'admin', ip: req.ip };
    const cellActor = { user: req.user!, facts, ip: req.ip };
    const now = app.clock();
    const where = await once(app.store, req, withDone('/disputes', 'resolved'), async (tx) => {
      if (b.decision === 'accepted') {
        const att = await readRecord(tx, 'attendance', d.lessonId, d.studentId);
        const mark = await readRecord(tx, 'mark', d.lessonId, d.studentId);
        const o = await writeCell(tx, cellActor, d.courseId, { lessonId: d.lessonId, studentId: d.studentId, value: b.value ?? '', av: att?.version ?? 0, mv: mark?.version ?? 0, reason: t(req.lang, 'reasonLine', { id: d.id, answer: b.answer }) },
          now, app.config.universityTz);
        if (o.kind !== 'ok') throw new FormRefused(o.kind === 'conflict' ? translateKey(req.lang, 'conflict') : translateKey(req.lang, o.kind === 'notFound' ? 'cell.badRequest' : o.error, o.kind === 'notFound' ? undefined : o.params));
      }
      const auditId = await closeDispute(tx, d, b.decision, b.answer, actor, now);
      // The student's notice of the answer commits with it (the outbox).
      const answer = { auditId, studentId: d.studentId, courseId: d.courseId, lessonId: d.lessonId, decision: b.decision };
      await notifyDispute(tx, answer, now);
    }).catch((e: unknown) => (e instanceof FormRefused ? e : Promise.reject(e)));
    if (where instanceof FormRefused) return reply.code(422).type('text/html').send(await list(req, { error: where.message }));
    return seeOther(reply, where);
  });
}
