import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { viewCtx } from '../plugins/request-context';
import { allowed, can, factsOf } from '../policy';
import { notFound, HttpError } from '../http-error';
import { readRecord } from '../../db/queries/records';
import { lessonById } from '../../db/queries/lessons';
import { loadJournal } from '../../db/queries/journal';
import { allTerms, setTermLock, pendingCorrections, correctionById, fileCorrection, decideCorrection, termReach, type TermRow, type Correction } from '../../db/queries/admin-terms';
import { parseCellInput } from '../domain/cell-input';
import { writeCell } from '../journal/write-cell';
import { expectedAt } from '../../views/journal/grid';
import { termsPage, correctionsPage, termConfirmPage } from '../../views/admin/terms';
import { cellText } from '../../views/journal/cell';
import { cellKey } from '../domain/cell-key';
import { translateKey } from '../../views/translate';
import { t } from '../../views/admin/strings';
import { registerNav } from '../../views/layout/nav';
import { t as ts } from '../../views/admin/structure-strings';
import { overlappingTerm, createTerm } from '../../db/queries/structure';
import { Day, fieldsOf } from '../forms';
import { doneKey, earlierOutcome, formTokenOf, once, seeOther, withDone } from '../prg';
import { spendFormToken } from '../../db/queries/form-tokens';

registerNav({ href: '/admin/terms', label: { en: 'Terms', ru: 'Семестры' }, roles: ['admin'], order: 50 });
registerNav({ href: '/admin/corrections', label: { en: 'Corrections', ru: 'Исправления' }, roles: ['admin'], order: 51 });

const Reason = z.object({ reason: z.string().trim().min(3).max(300) });

export default async function adminTermRoutes(app: FastifyInstance) {
  const requireAdmin = async (req: FastifyRequest) => {
    if (!(await allowed(req, { do: 'admin.any' }))) throw notFound();
  };

  app.get('/admin/terms', async (req, reply) => {
    await requireAdmin(req);
    const done = doneKey(req, ['created', 'termDone'] as const);
    const message = done === 'created' ? ts(req.lang, done) : done && t(req.lang, done);
    return reply.type('text/html').send(termsPage(viewCtx(req), await allTerms(app.store), await allowed(req, { do: 'university.admin' }), message ? { message } : {}).value);
  });

  // Only the university administration opens a term: it frames every faculty's courses.
  app.post('/admin/terms', async (req, reply) => {
    await requireAdmin(req);
    const ctx = viewCtx(req);
    const fail = async (status: number, error: string) => reply.code(status).type('text/html').send(termsPage(ctx, await allTerms(app.store), status !== 403, { error }).value);
    if (!(await allowed(req, { do: 'university.admin' }))) return fail(403, ts(ctx.lang, 'onlyUniversity'));
    const body = z.object({ nameRu: z.string().trim().min(3).max(100), nameEn: z.string().trim().min(3).max(100), startsOn: Day, endsOn: Day }).safeParse(req.body ?? {});
    if (!body.success) return fail(422, ts(ctx.lang, 'invalid', { fields: fieldsOf(body.error) }));
    const b = body.data;
    if (b.endsOn <= b.startsOn) return fail(422, ts(ctx.lang, 'badDates'));
    const clash = await overlappingTerm(app.store, b.startsOn, b.endsOn);
    if (clash) return fail(422, ts(ctx.lang, 'termOverlaps', { name: ctx.lang === 'ru' ? clash.nameRu : clash.nameEn }));
    await createTerm(app.store, b, { id: req.user!.id, role: 'admin', ip: req.ip }, app.clock());
    return seeOther(reply, withDone('/admin/terms', 'created'));
  });

  for (const action of ['lock', 'unlock'] as const) {
    /** The term a lock/unlock names, for the university administration only. */
    const termOf = async (req: FastifyRequest) => {
      await requireAdmin(req);
      if (!(await allowed(req, { do: 'university.admin' }))) throw new HttpError(403);
      const p = z.object({ termId: Id }).safeParse(req.params);
      const term = p.success ? (await allTerms(app.store)).find((x) => x.id === p.data.termId) : undefined;
      if (!term) throw notFound();
      return term;
    };
    const confirmPage = async (req: FastifyRequest, reply: FastifyReply, term: TermRow, o: { error?: string; reason?: string } = {}, status = 200) =>
      reply.code(status).type('text/html').send(termConfirmPage(viewCtx(req), term, action, await termReach(app.store, term.id), o).value);

    // The button on the terms page leads here: what the change touches, then the reason and the confirmation.
    app.get(`/admin/terms/:termId/${action}`, async (req, reply) => {
      if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
      return confirmPage(req, reply, await termOf(req));
    });

    app.post(`/admin/terms/:termId/${action}`, async (req, reply) => {
      const term = await termOf(req);
      const raw = (req.body ?? {}) as Record<string, unknown>;
      const body = Reason.safeParse(raw);
      const ctx = viewCtx(req);
      // Not confirmed on the page that says what it touches (an old form, a crafted post): ask there first.
      if (raw.confirm !== '1') return seeOther(reply, `/admin/terms/${term.id}/${action}`);
      if (!body.success) return confirmPage(req, reply, term, { error: t(ctx.lang, 'reasonRequired') }, 422);
      const where = await once(app.store, req, withDone('/admin/terms', 'termDone'), (tx) =>
        setTermLock(tx, term.id, action === 'lock', body.data.reason, { id: req.user!.id, role: 'admin', ip: req.ip }, app.clock()));
      return seeOther(reply, where);
    });
  }

  // A teacher of a locked course asks the dean's office to change a record.
  app.post('/courses/:courseId/corrections', async (req, reply) => {
    const p = z.object({ courseId: Id }).safeParse(req.params);
    if (!p.success || !(await allowed(req, { do: 'course.teach', courseId: p.data.courseId }))) throw notFound();
    const courseId = p.data.courseId;
    const body = z.object({ lessonId: Id, studentId: Id, field: z.enum(['mark', 'attendance']), newValue: z.string().trim().max(20), reason: z.string().trim().min(3).max(500) }).safeParse(req.body ?? {});
    if (!body.success) throw new HttpError(422, 'lessons.badInput', { fields: body.error.issues.map((i) => i.path.join('.')).join(', ') });
    const b = body.data;
    const lesson = await lessonById(app.store, b.lessonId);
    if (!lesson || lesson.courseId !== courseId) throw notFound();
    const d = (await loadJournal(app.store, courseId, null, b.studentId))!;
    if (!d.course.termLocked) throw new HttpError(422, 'corrections.termOpen'); // an open term is edited directly
    const jl = d.lessons.find((l) => l.id === lesson.id)!;
    if (!d.students[0] || !expectedAt(d.students[0], jl, d.course.groups.map((g) => g.id))) throw new HttpError(422, 'cell.studentNotInCourse');
    const parsed = parseCellInput(b.newValue, d.course.scale);
    if (parsed.type === 'error') throw new HttpError(422, parsed.error, parsed.params);
    const request = { lessonId: lesson.id, studentId: b.studentId, courseId, field: b.field, newValue: b.newValue, reason: b.reason };
    const where = await once(app.store, req, withDone(`/courses/${courseId}/lessons/${lesson.id}`, 'correctionSent'), (tx) =>
      fileCorrection(tx, request, { id: req.user!.id, role: 'teacher', ip: req.ip }, app.clock()));
    return seeOther(reply, where);
  });

  const visible = async (req: FastifyRequest) => {
    const pending = await pendingCorrections(app.store);
    const f = await factsOf(req, { courses: pending.map((c) => c.courseId) });
    return pending.filter((c) => can(f, { do: 'journal.override', courseId: c.courseId }));
  };
  /** What each request would change: the cell as it stands, in the grid's own words. One journal load per
   *  course (with the records of the students asked about), not one per request: a busy session week leaves
   *  hundreds pending, and the page is rendered again after every refused decision. */
  const currentValues = async (req: FastifyRequest, list: Correction[]) => {
    const byCourse = new Map<number, Correction[]>();
    for (const c of list) byCourse.set(c.courseId, [...(byCourse.get(c.courseId) ?? []), c]);
    const out = new Map<number, string>();
    for (const [courseId, cs] of byCourse) {
      const j = await loadJournal(app.store, courseId, null, null, [...new Set(cs.map((c) => c.studentId))]);
      for (const c of cs) out.set(c.id, cellText(req.lang, j?.records.get(cellKey(c.lessonId, c.studentId)), j?.course.scale.kind === 'pass_fail'));
    }
    return out;
  };
  const corrections = async (req: FastifyRequest, o: { message?: string; error?: string } = {}) => {
    const list = await visible(req);
    return correctionsPage(viewCtx(req), list, { ...o, current: await currentValues(req, list) }).value;
  };

  app.get('/admin/corrections', async (req, reply) => {
    await requireAdmin(req);
    const done = doneKey(req, ['decided'] as const);
    return reply.type('text/html').send(await corrections(req, done ? { message: t(req.lang, done) } : {}));
  });

  app.get('/admin/corrections/:id', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const p = z.object({ id: Id }).safeParse(req.params);
    const c = p.success ? await correctionById(app.store, p.data.id) : undefined;
    if (!c || !(await allowed(req, { do: 'journal.override', courseId: c.courseId })) || !(await allowed(req, { do: 'admin.any' }))) throw notFound();
    return seeOther(reply, `/admin/corrections#correction-${c.id}`);
  });

  // Approval applies the value through the journal's write path as an admin override with the
  // request's reason; the request closes in the same transaction.
  app.post('/admin/corrections/:id', async (req, reply) => {
    const p = z.object({ id: Id }).safeParse(req.params);
    const c = p.success ? await correctionById(app.store, p.data.id) : undefined;
    const facts = c ? await factsOf(req, { courses: [c.courseId] }) : undefined;
    if (!c || !facts || !can(facts, { do: 'journal.override', courseId: c.courseId }) || !can(facts, { do: 'admin.any' })) throw notFound();
    const body = z.object({ decision: z.enum(['approve', 'reject']), note: z.string().trim().min(3).max(300) }).safeParse(req.body ?? {});
    const ctx = viewCtx(req);
    if (!body.success) return reply.code(422).type('text/html').send(await corrections(req, { error: t(ctx.lang, 'reasonRequired') }));
    const actor = { id: req.user!.id, role: 'admin', ip: req.ip };
    const now = app.clock();
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    const failure = await app.store.tx(async (tx): Promise<{ status: 409 | 422; error: string } | null> => {
      // Read again in the transaction: two offices deciding at once must not both apply the request.
      if ((await correctionById(tx, c.id))?.status !== 'pending') return { status: 409, error: translateKey(ctx.lang, 'conflict') };
      if (body.data.decision === 'approve') {
        const att = await readRecord(tx, 'attendance', c.lessonId, c.studentId);
        const mark = await readRecord(tx, 'mark', c.lessonId, c.studentId);
        const o = await writeCell(tx, { user: req.user!, facts, ip: req.ip }, c.courseId, { lessonId: c.lessonId, studentId: c.studentId, value: c.newValue, av: att?.version ?? 0, mv: mark?.version ?? 0, reason: `${c.reason} — ${body.data.note}` },
          now, app.config.universityTz);
        if (o.kind !== 'ok') return { status: 422, error: o.kind === 'conflict' || o.kind === 'notFound' ? translateKey(ctx.lang, 'conflict') : translateKey(ctx.lang, o.error, o.params) };
      }
      await decideCorrection(tx, c, body.data.decision === 'approve', body.data.note, actor, now);
      const token = formTokenOf(req);
      if (token) await spendFormToken(tx, req.user!.id, token, withDone('/admin/corrections', 'decided'), now);
      return null;
    });
    if (failure) return reply.code(failure.status).type('text/html').send(await corrections(req, { error: failure.error }));
    return seeOther(reply, withDone('/admin/corrections', 'decided'));
  });
}
