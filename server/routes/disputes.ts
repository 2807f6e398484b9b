import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { viewCtx } from '../plugins/request-context';
import { can, adminScope } from '../policy';
import { notFound } from '../http-error';
import { inTransaction } from '../../db/client';
import { currentTerm } from '../../db/queries/terms';
import { readRecord } from '../../db/queries/records';
import { lessonById } from '../../db/queries/lessons';
import { loadJournal } from '../../db/queries/journal';
import { cellKey } from '../domain/cell-key';
import { disputeById, openDispute, openDisputes, closeDispute } from '../../db/queries/disputes';
import { writeCell } from '../journal/write-cell';
import { expectedAt } from '../../views/journal/grid';
import { cellText } from '../../views/journal/cell';
import { disputesPage } from '../../views/disputes/pages';
import { translateKey } from '../../views/translate';
import { t } from '../../views/disputes/strings';
import { registerNav } from '../../views/layout/nav';
import { sendStudentCoursePage } from './students';

registerNav({ href: '/disputes', label: { en: 'Disputes', ru: 'Апелляции' }, roles: ['teacher', 'admin'], order: 25 });

/** Courses whose disputes this user answers: the ones they teach, and those their dean's office covers. */
function resolvableCourses(req: FastifyRequest, termId: number): number[] {
  const db = req.server.db;
  const all = db.$client.prepare('SELECT id FROM courses WHERE term_id = ?').all(termId) as { id: number }[];
  return all.map((c) => c.id).filter((id) => can(db, req.user, { do: 'dispute.resolve', courseId: id }));
}

export default async function disputeRoutes(app: FastifyInstance) {
  app.post('/students/:studentId/courses/:courseId/disputes', async (req, reply) => {
    const p = z.object({ studentId: Id, courseId: Id }).safeParse(req.params);
    if (!p.success || !can(app.db, req.user, { do: 'student.dispute', studentId: p.data.studentId, courseId: p.data.courseId })) throw notFound();
    const { studentId, courseId } = p.data;
    const body = z.object({ lessonId: Id, subject: z.enum(['mark', 'attendance']), comment: z.string().trim().min(5).max(1000) }).safeParse(req.body ?? {});
    if (!body.success) return sendStudentCoursePage(req, reply, studentId, courseId, { error: t(req.lang, 'commentRequired'), status: 422 });
    const lesson = lessonById(app.db, body.data.lessonId);
    const d = lesson && lesson.courseId === courseId ? loadJournal(app.db, courseId, null, studentId) : undefined;
    const jl = d?.lessons.find((l) => l.id === body.data.lessonId);
    if (!d || !jl || !d.students[0] || !expectedAt(d.students[0], jl, d.course.groups.map((g) => g.id)) || jl.date > viewCtx(req).today) {
      return sendStudentCoursePage(req, reply, studentId, courseId, { error: translateKey(req.lang, 'cell.studentNotInCourse'), status: 422 });
    }
    openDispute(app.db, { studentId, lessonId: jl.id, courseId, subject: body.data.subject, comment: body.data.comment }, { id: req.user!.id, role: 'student', ip: req.ip }, app.clock());
    return sendStudentCoursePage(req, reply, studentId, courseId, { message: t(req.lang, 'sent') });
  });

  const list = (req: FastifyRequest, o: { message?: string; error?: string } = {}) => {
    const ctx = viewCtx(req);
    const term = currentTerm(app.db, ctx.today);
    const disputes = term ? openDisputes(app.db, resolvableCourses(req, term.id)) : [];
    const current = new Map(disputes.map((d) => {
      const j = loadJournal(app.db, d.courseId, null, d.studentId);
      return [d.id, cellText(ctx.lang, j?.records.get(cellKey(d.lessonId, d.studentId)), j?.course.scale.kind === 'pass_fail')];
    }));
    return disputesPage(ctx, disputes, current, o).value;
  };

  app.get('/disputes', async (req, reply) => {
    if (!req.user) return reply.redirect('/login?next=/disputes', 303);
    if (!req.user.roles.some((r) => r.role === 'teacher') && !adminScope(req.user)) throw notFound();
    return reply.type('text/html').send(list(req));
  });

  // Accepted: the correction goes through the journal's one write path (policy, rules, version,
  // audit) with the answer as its reason, and the dispute closes in the same transaction.
  app.post('/disputes/:disputeId', async (req, reply) => {
    const p = z.object({ disputeId: Id }).safeParse(req.params);
    const d = p.success ? disputeById(app.db, p.data.disputeId) : undefined;
    if (!d || !can(app.db, req.user, { do: 'dispute.resolve', courseId: d.courseId })) throw notFound();
    const body = z.object({ decision: z.enum(['accepted', 'rejected']), answer: z.string().trim().min(3).max(500), value: z.string().trim().max(20).optional() }).safeParse(req.body ?? {});
    if (!body.success) return reply.code(422).type('text/html').send(list(req, { error: t(req.lang, 'answerRequired') }));
    if (d.status !== 'open') return reply.code(409).type('text/html').send(list(req, { error: translateKey(req.lang, 'conflict') }));
    const b = body.data;
    const actor = { id: req.user!.id, role: can(app.db, req.user, { do: 'journal.write', courseId: d.courseId }) ? 'teacher' : 'admin', ip: req.ip };
    const failure = inTransaction(app.db, () => {
      if (b.decision === 'accepted') {
        const att = readRecord(app.db, 'attendance', d.lessonId, d.studentId);
        const mark = readRecord(app.db, 'mark', d.lessonId, d.studentId);
        const o = writeCell(app, req, d.courseId, { lessonId: d.lessonId, studentId: d.studentId, value: b.value ?? '', av: att?.version ?? 0, mv: mark?.version ?? 0, reason: `${t(req.lang, 'title')} #${d.id}: ${b.answer}` });
        if (o.kind !== 'ok') return o.kind === 'conflict' ? translateKey(req.lang, 'conflict') : translateKey(req.lang, o.kind === 'notFound' ? 'cell.badRequest' : o.error, o.kind === 'notFound' ? undefined : o.params);
      }
      closeDispute(app.db, d, b.decision, b.answer, actor, app.clock());
      return null;
    });
    if (failure) return reply.code(422).type('text/html').send(list(req, { error: failure }));
    app.changes.publish({ auditId: 0, entity: 'dispute', action: `dispute.${b.decision}`, courseId: d.courseId, studentId: d.studentId, lessonId: d.lessonId, actorId: req.user!.id });
    return reply.type('text/html').send(list(req, { message: t(req.lang, 'resolved') }));
  });
}
