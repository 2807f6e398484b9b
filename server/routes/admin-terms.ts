import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { viewCtx } from '../plugins/request-context';
import { can, adminScope } from '../policy';
import { notFound, HttpError } from '../http-error';
import { inTransaction } from '../../db/client';
import { readRecord } from '../../db/queries/records';
import { lessonById } from '../../db/queries/lessons';
import { loadJournal } from '../../db/queries/journal';
import { allTerms, setTermLock, pendingCorrections, correctionById, fileCorrection, decideCorrection } from '../../db/queries/admin-terms';
import { parseCellInput } from '../domain/cell-input';
import { writeCell } from '../journal/write-cell';
import { expectedAt } from '../../views/journal/grid';
import { termsPage, correctionsPage } from '../../views/admin/terms';
import { translateKey } from '../../views/translate';
import { t } from '../../views/admin/strings';
import { registerNav } from '../../views/layout/nav';
import { t as ts } from '../../views/admin/structure-strings';
import { overlappingTerm, createTerm } from '../../db/queries/structure';
import { Day, fieldsOf } from '../forms';
import { sendLessonPage } from './lessons';

registerNav({ href: '/admin/terms', label: { en: 'Terms', ru: 'Семестры' }, roles: ['admin'], order: 50 });
registerNav({ href: '/admin/corrections', label: { en: 'Corrections', ru: 'Исправления' }, roles: ['admin'], order: 51 });

const Reason = z.object({ reason: z.string().trim().min(3).max(300) });

export default async function adminTermRoutes(app: FastifyInstance) {
  const requireAdmin = (req: FastifyRequest) => {
    if (!can(app.db, req.user, { do: 'admin.any' })) throw notFound();
  };

  app.get('/admin/terms', async (req, reply) => {
    requireAdmin(req);
    return reply.type('text/html').send(termsPage(viewCtx(req), allTerms(app.db), can(app.db, req.user, { do: 'university.admin' })).value);
  });

  // Only the university administration opens a term: it frames every faculty's courses.
  app.post('/admin/terms', async (req, reply) => {
    requireAdmin(req);
    const ctx = viewCtx(req);
    const fail = (status: number, error: string) => reply.code(status).type('text/html').send(termsPage(ctx, allTerms(app.db), status !== 403, { error }).value);
    if (!can(app.db, req.user, { do: 'university.admin' })) return fail(403, ts(ctx.lang, 'onlyUniversity'));
    const body = z.object({ nameRu: z.string().trim().min(3).max(100), nameEn: z.string().trim().min(3).max(100), startsOn: Day, endsOn: Day }).safeParse(req.body ?? {});
    if (!body.success) return fail(422, ts(ctx.lang, 'invalid', { fields: fieldsOf(body.error) }));
    const b = body.data;
    if (b.endsOn <= b.startsOn) return fail(422, ts(ctx.lang, 'badDates'));
    const clash = overlappingTerm(app.db, b.startsOn, b.endsOn);
    if (clash) return fail(422, ts(ctx.lang, 'termOverlaps', { name: ctx.lang === 'ru' ? clash.nameRu : clash.nameEn }));
    createTerm(app.db, b, { id: req.user!.id, role: 'admin', ip: req.ip }, app.clock());
    return reply.type('text/html').send(termsPage(ctx, allTerms(app.db), true, { message: ts(ctx.lang, 'created') }).value);
  });

  for (const action of ['lock', 'unlock'] as const) {
    app.post(`/admin/terms/:termId/${action}`, async (req, reply) => {
      requireAdmin(req);
      if (!can(app.db, req.user, { do: 'university.admin' })) throw new HttpError(403);
      const p = z.object({ termId: Id }).safeParse(req.params);
      const body = Reason.safeParse(req.body ?? {});
      const ctx = viewCtx(req);
      if (!p.success) throw notFound();
      if (!body.success) return reply.code(422).type('text/html').send(termsPage(ctx, allTerms(app.db), true, { error: t(ctx.lang, 'reasonRequired') }).value);
      setTermLock(app.db, p.data.termId, action === 'lock', body.data.reason, { id: req.user!.id, role: 'admin', ip: req.ip }, app.clock());
      return reply.type('text/html').send(termsPage(ctx, allTerms(app.db), true, { message: t(ctx.lang, 'termDone') }).value);
    });
  }

  // A teacher of a locked course asks the dean's office to change a record.
  app.post('/courses/:courseId/corrections', async (req, reply) => {
    const p = z.object({ courseId: Id }).safeParse(req.params);
    if (!p.success || !can(app.db, req.user, { do: 'course.teach', courseId: p.data.courseId })) throw notFound();
    const courseId = p.data.courseId;
    const body = z.object({ lessonId: Id, studentId: Id, field: z.enum(['mark', 'attendance']), newValue: z.string().trim().max(20), reason: z.string().trim().min(3).max(500) }).safeParse(req.body ?? {});
    if (!body.success) throw new HttpError(422, 'lessons.badInput', { fields: body.error.issues.map((i) => i.path.join('.')).join(', ') });
    const b = body.data;
    const lesson = lessonById(app.db, b.lessonId);
    if (!lesson || lesson.courseId !== courseId) throw notFound();
    const d = loadJournal(app.db, courseId, null, b.studentId)!;
    if (!d.course.termLocked) throw new HttpError(422, 'corrections.termOpen'); // an open term is edited directly
    const jl = d.lessons.find((l) => l.id === lesson.id)!;
    if (!d.students[0] || !expectedAt(d.students[0], jl, d.course.groups.map((g) => g.id))) throw new HttpError(422, 'cell.studentNotInCourse');
    const parsed = parseCellInput(b.newValue, d.course.scale);
    if (parsed.type === 'error') throw new HttpError(422, parsed.error, parsed.params);
    fileCorrection(app.db, { lessonId: lesson.id, studentId: b.studentId, courseId, field: b.field, newValue: b.newValue, reason: b.reason }, { id: req.user!.id, role: 'teacher', ip: req.ip }, app.clock());
    return sendLessonPage(req, reply, courseId, lesson, { message: t(req.lang, 'sent') });
  });

  const visible = (req: FastifyRequest) => pendingCorrections(app.db).filter((c) => can(app.db, req.user, { do: 'journal.override', courseId: c.courseId }));

  app.get('/admin/corrections', async (req, reply) => {
    requireAdmin(req);
    return reply.type('text/html').send(correctionsPage(viewCtx(req), visible(req)).value);
  });

  // Approval applies the value through the journal's write path as an admin override with the
  // request's reason; the request closes in the same transaction.
  app.post('/admin/corrections/:id', async (req, reply) => {
    const p = z.object({ id: Id }).safeParse(req.params);
    const c = p.success ? correctionById(app.db, p.data.id) : undefined;
    if (!c || !can(app.db, req.user, { do: 'journal.override', courseId: c.courseId }) || adminScope(req.user) === null) throw notFound();
    const body = z.object({ decision: z.enum(['approve', 'reject']), note: z.string().trim().min(3).max(300) }).safeParse(req.body ?? {});
    const ctx = viewCtx(req);
    if (!body.success) return reply.code(422).type('text/html').send(correctionsPage(ctx, visible(req), { error: t(ctx.lang, 'reasonRequired') }).value);
    if (c.status !== 'pending') return reply.code(409).type('text/html').send(correctionsPage(ctx, visible(req), { error: translateKey(ctx.lang, 'conflict') }).value);
    const actor = { id: req.user!.id, role: 'admin', ip: req.ip };
    const failure = inTransaction(app.db, () => {
      if (body.data.decision === 'approve') {
        const att = readRecord(app.db, 'attendance', c.lessonId, c.studentId);
        const mark = readRecord(app.db, 'mark', c.lessonId, c.studentId);
        const o = writeCell(app, req, c.courseId, { lessonId: c.lessonId, studentId: c.studentId, value: c.newValue, av: att?.version ?? 0, mv: mark?.version ?? 0, reason: `${c.reason} — ${body.data.note}` });
        if (o.kind !== 'ok') return o.kind === 'conflict' || o.kind === 'notFound' ? translateKey(ctx.lang, 'conflict') : translateKey(ctx.lang, o.error, o.params);
      }
      decideCorrection(app.db, c, body.data.decision === 'approve', body.data.note, actor, app.clock());
      return null;
    });
    if (failure) return reply.code(422).type('text/html').send(correctionsPage(ctx, visible(req), { error: failure }).value);
    return reply.type('text/html').send(correctionsPage(ctx, visible(req), { message: t(ctx.lang, 'decided') }).value);
  });
}
