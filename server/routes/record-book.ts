// The record book (issue 16, item 4) and the debts around it (item 3): the student's own, a full-scope
// guardian's, the covering dean's office's. An attendance-only link gets 404, as if the page did not exist:
// results and debts are marks.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id, Version } from '../params';
import { Day } from '../forms';
import { viewCtx } from '../plugins/request-context';
import { allowed, can, factsOf } from '../policy';
import { adminFacultiesOr404 } from '../policy/require';
import { HttpError, notFound } from '../http-error';
import { studentHeader } from '../../db/queries/changes';
import { recordBookRows } from '../../db/queries/record-book';
import { debtById, facultyOpenDebts, groupsOfFaculties, setDebtDeadline, studentOpenDebts } from '../../db/queries/debts';
import { currentTerm } from '../../db/queries/terms';
import { studentCourseProgress } from '../progress/student-progress';
import { logView } from '../progress/course-page';
import { recordBook } from '../domain/record-book';
import { recordBookPage } from '../../views/session/record-book';
import { debtorsPage } from '../../views/session/debts';
import { resultWords, attemptLabel } from '../../views/session/statement';
import { t } from '../../views/session/strings';
import { t as tm } from '../../views/mobility/strings';
import { registerNav } from '../../views/layout/nav';
import { doneKey, once, seeOther, withDone, FormRefused } from '../prg';

registerNav({ href: '/debts', label: { en: 'Debtors', ru: 'Должники' }, roles: ['admin'], order: 56 });
const loadExcel = async () => (await import('exceljs')).default;

export default async function recordBookRoutes(app: FastifyInstance) {
  const load = async (req: FastifyRequest) => {
    const p = z.object({ studentId: Id }).safeParse(req.params);
    if (!p.success || !(await allowed(req, { do: 'student.marks', studentId: p.data.studentId }))) throw notFound();
    const head = await studentHeader(app.store, p.data.studentId);
    if (!head) throw notFound();
    const ctx = viewCtx(req);
    const rows = await recordBookRows(app.store, head.id);
    const passMin = new Map(rows.map((r) => [r.courseId, r.passMin]));
    const book = recordBook(rows, (id) => passMin.get(id) ?? 0);
    const term = await currentTerm(app.store, ctx.today);
    const current = term ? await studentCourseProgress(app.store, head.id, term.id, ctx.today) : [];
    await logView(req, head.id, null);
    return { head, rows, book, current, term, ctx };
  };

  app.get('/students/:studentId/record-book', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const { head, rows, book, current, term, ctx } = await load(req);
    return reply.type('text/html').send(recordBookPage(ctx, {
      studentId: head.id, name: [head.surname, head.givenName, head.patronymic].filter(Boolean).join(' '), recordBook: head.recordBook, groupName: head.groupName,
      rows, book, current, currentTermName: term ? (ctx.lang === 'ru' ? term.nameRu : term.nameEn) : null, debts: await studentOpenDebts(app.store, head.id),
    }).value);
  });

  app.get('/students/:studentId/record-book.xlsx', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const { head, rows, book, ctx } = await load(req);
    const lang = ctx.lang;
    const byKey = new Map(rows.map((r) => [`${r.statementId}:${r.courseId}`, r]));
    const wb = new (await loadExcel()).Workbook();
    const ws = wb.addWorksheet(t(lang, 'recordBookTitle'));
    ws.addRow([t(lang, 'term'), t(lang, 'subject'), t(lang, 'kind'), t(lang, 'result'), t(lang, 'finalMark'), t(lang, 'date'), t(lang, 'examiner'), t(lang, 'statementNo'), t(lang, 'attempt')]);
    for (const term of book.terms) {
      for (const c of term.courses) {
        const r = byKey.get(`${c.result.statementId}:${c.courseId}`)!;
        ws.addRow([lang === 'ru' ? r.termNameRu : r.termNameEn, lang === 'ru' ? r.subjectRu : r.subjectEn, t(lang, r.kind), r.outcome === 'mark' ? r.mark : resultWords(lang, r.outcome, r.mark),
          r.finalMark, r.date, lang === 'en' ? r.examinerEn : r.examiner, r.recognisedRu === null ? r.number : tm(lang, 'recognisedFrom', { partner: lang === 'ru' ? r.recognisedRu : r.recognisedEn ?? '' }), attemptLabel(lang, r.attempt)]);
      }
      ws.addRow(['', t(lang, 'termAverage'), '', '', term.average === null ? null : Math.round(term.average * 100) / 100]);
    }
    ws.addRow(['', t(lang, 'overallAverage'), '', '', book.overall === null ? null : Math.round(book.overall * 100) / 100]);
    const buf = await wb.xlsx.writeBuffer();
    const file = `record-book-${head.recordBook ?? head.id}.xlsx`.replace(/[^A-Za-z0-9._-]/g, '_');
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="${file}"`).send(Buffer.from(buf));
  });

  // ---------- the dean's office's debtors, per faculty and group ----------
  const debtors = async (req: FastifyRequest, reply: FastifyReply, o: { message?: string; error?: string; status?: number } = {}) => {
    const faculties = adminFacultiesOr404(req.user);
    const q = z.object({ group: Id.optional() }).safeParse(req.query);
    const groups = await groupsOfFaculties(app.store, faculties);
    const groupId = q.success && q.data.group && groups.some((g) => g.id === q.data.group) ? q.data.group : null;
    return reply.code(o.status ?? 200).type('text/html').send(debtorsPage(viewCtx(req), { debts: await facultyOpenDebts(app.store, faculties, groupId), groups, groupId, ...o }).value);
  };

  app.get('/debts', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const done = doneKey(req, ['deadlineSet'] as const);
    return debtors(req, reply, done ? { message: t(req.lang, done) } : {});
  });

  app.post('/debts/:debtId', async (req, reply) => {
    adminFacultiesOr404(req.user);
    const p = z.object({ debtId: Id }).safeParse(req.params);
    const d = p.success ? await debtById(app.store, p.data.debtId) : undefined;
    if (!d || !can(await factsOf(req, { courses: [d.courseId] }), { do: 'journal.override', courseId: d.courseId })) throw notFound();
    const body = z.object({ deadline: Day, version: Version }).safeParse(req.body ?? {});
    if (!body.success) return debtors(req, reply, { error: t(req.lang, 'statement.badInput', { fields: 'deadline' }), status: 422 });
    const where = await once(app.store, req, withDone('/debts', 'deadlineSet'), async (tx) => {
      if (!(await setDebtDeadline(tx, d, body.data.deadline, body.data.version, { id: req.user!.id, role: 'admin', ip: req.ip }, app.clock()))) throw new FormRefused('conflict');
    }).catch((e: unknown) => { if (e instanceof FormRefused) return null; throw e; });
    if (where === null) throw new HttpError(409, 'conflict');
    return seeOther(reply, where);
  });
}
