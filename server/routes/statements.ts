// The statement as a document (issue 16, item 2): the dean's office opens it, the examiner types the
// results and signs, the dean's office counter-signs; a signed one changes only through a correction
// request the dean's office decides. Every step is one transaction with its audit row.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id, Version } from '../params';
import { Day } from '../forms';
import { viewCtx } from '../plugins/request-context';
import { can, factsOf, statementAccess, type StatementDeed } from '../policy';
import { HttpError, notFound } from '../http-error';
import { courseForViewer } from '../journal/course-access';
import { loadJournal, loadJournalCourse } from '../../db/queries/journal';
import { facultyNames } from '../../db/queries/lesson-admin';
import {
  claimOpenStatement, closeStatement, closedAttempts, countersignStatement, courseStatements, decideStatementCorrection, fileStatementCorrection, openStatement,
  courseStatementSummaries, resultVersion, settleDebt, statementById, statementCorrectionById, statementCorrections, studentsOnOpenStatements, writeResult, type Statement,
} from '../../db/queries/statements';
import { courseOpenDebts, examinerCandidates } from '../../db/queries/debts';
import {
  closeRefusal, countersignRefusal, countsAsAttempt, defaultDeadline, entryRefusal, examinersRefusal, isDebt, isPassed, nextAttempt,
  parseStatementInput, resultFinalMark, statementAttempt,
} from '../domain/session';
import { statementRoster, admissionOf, type Roster } from '../session/roster';
import { statementPage, statementRow } from '../../views/session/statement';
import { courseStatementsPage } from '../../views/session/course-statements';
import { t } from '../../views/session/strings';
import { t as tc } from '../../views/session/calendar-strings';
import { courseSessionDates } from '../../db/queries/session-calendar';
import { translateKey } from '../../views/translate';
import { doneKey, earlierOutcome, formTokenOf, once, seeOther, withDone, FormRefused } from '../prg';
import { spendFormToken } from '../../db/queries/form-tokens';
import { html } from '../../views/html';
import type { StatementKind } from '../../db/schema';

const actorOf = (req: FastifyRequest, role: 'teacher' | 'admin') => ({ id: req.user!.id, role, ip: req.ip });
const Kind = z.enum(['exam', 'credit']);
const OptionalId = z.union([z.literal(''), Id]).optional().transform((v) => (v === '' || v === undefined ? null : v));
const Examiners = { examiner1: Id, examiner2: OptionalId, examiner3: OptionalId };
const examinerIds = (b: { examiner1: number; examiner2: number | null; examiner3: number | null }) =>
  [b.examiner1, b.examiner2, b.examiner3].filter((x): x is number => x !== null);
const fieldsOf = (e: z.ZodError) => [...new Set(e.issues.map((i) => String(i.path[0] ?? '')))].join(', ');

export default async function statementRoutes(app: FastifyInstance) {
  /** The statement of :statementId if the user may do the deed to it; anyone else gets 404, as if it did not exist. */
  const statementFor = async (req: FastifyRequest, deed: StatementDeed | 'view-or-404'): Promise<Statement> => {
    const p = z.object({ statementId: Id }).safeParse(req.params);
    const st = p.success ? await statementById(app.store, p.data.statementId) : undefined;
    if (!st) throw notFound();
    const f = await factsOf(req, { courses: [st.courseId] });
    const facts = { courseId: st.courseId, examinerIds: st.examiners.map((e) => e.id) };
    if (!statementAccess(f, facts, 'view')) throw notFound();
    if (deed !== 'view' && deed !== 'view-or-404' && !statementAccess(f, facts, deed)) throw new HttpError(403);
    return st;
  };

  const render = async (req: FastifyRequest, reply: FastifyReply, st: Statement, o: { message?: string; error?: string; status?: number; roster?: Roster } = {}) => {
    const ctx = viewCtx(req);
    const roster = o.roster ?? (await statementRoster(app.store, st, ctx.today));
    if (!roster) throw notFound();
    const f = await factsOf(req, { courses: [st.courseId] });
    const facts = { courseId: st.courseId, examinerIds: st.examiners.map((e) => e.id) };
    const examiner = statementAccess(f, facts, 'enter');
    const facultyId = st.facultyIds[0];
    const faculty = facultyId ? await facultyNames(app.store, facultyId) : undefined;
    const journal = can(f, { do: 'journal.view', courseId: st.courseId }) ? `/courses/${st.courseId}` : null;
    return reply.code(o.status ?? 200).type('text/html').send(statementPage(ctx, {
      st, rows: roster.rows, facultyName: faculty ? faculty[ctx.lang] : '', editable: examiner && st.status === 'open', dean: statementAccess(f, facts, 'countersign'),
      examiner, corrections: await statementCorrections(app.store, st.id), message: o.message, error: o.error, journalHref: journal,
    }).value);
  };

  const DONE = ['opened', 'saved', 'closed', 'countersigned', 'correctionSent', 'decided'] as const;

  app.get('/statements/:statementId', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const st = await statementFor(req, 'view');
    const done = doneKey(req, DONE);
    return render(req, reply, st, done ? { message: t(req.lang, done) } : {});
  });

  // ---------- the course's statements; the dean's office opens them ----------
  const listPage = async (req: FastifyRequest, reply: FastifyReply, courseId: number, o: { message?: string; error?: string; status?: number } = {}) => {
    const ctx = viewCtx(req);
    const course = await loadJournalCourse(app.store, courseId);
    if (!course) throw notFound();
    const dean = can(await factsOf(req, { courses: [courseId] }), { do: 'journal.override', courseId });
    return reply.code(o.status ?? 200).type('text/html').send(courseStatementsPage(ctx, {
      courseId, subject: ctx.lang === 'ru' ? course.subjectRu : course.subjectEn, statements: await courseStatements(app.store, courseId), groups: course.groups,
      summaries: await courseStatementSummaries(app.store, courseId), sessionDates: await courseSessionDates(app.store, courseId),
      open: dean ? { examiners: await examinerCandidates(app.store, courseId), debts: await courseOpenDebts(app.store, courseId), passFail: course.scale.kind === 'pass_fail' } : null,
      message: o.message, error: o.error,
    }).value);
  };

  app.get('/courses/:courseId/statements', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const courseId = await courseForViewer(req);
    const done = doneKey(req, ['opened'] as const);
    return listPage(req, reply, courseId, done ? { message: t(req.lang, done) } : {});
  });

  /** The course of a dean's form: viewers who are not its dean's office get 403, others 404. */
  const deanCourse = async (req: FastifyRequest) => {
    const courseId = await courseForViewer(req);
    if (!can(await factsOf(req, { courses: [courseId] }), { do: 'journal.override', courseId })) throw new HttpError(403);
    return courseId;
  };

  /** Checks shared by both opening forms; the refusal's message key, or null. */
  const openRefusal = async (courseId: number, kind: StatementKind, attempt: number, examiners: number[], studentIds: number[]): Promise<{ key: string; params?: Record<string, number> } | null> => {
    const course = (await loadJournalCourse(app.store, courseId))!;
    if (kind === 'exam' && course.scale.kind === 'pass_fail') return { key: 'statement.examOnPassFail' };
    if (studentIds.length === 0) return { key: 'statement.noStudents' };
    const ex = examinersRefusal(attempt, examiners);
    if (ex) return { key: ex };
    const candidates = new Set((await examinerCandidates(app.store, courseId)).map((c) => c.id));
    if (!examiners.every((id) => candidates.has(id))) return { key: 'statement.notTeacher' };
    if ((await studentsOnOpenStatements(app.store, courseId, studentIds)).length > 0) return { key: 'statement.alreadyOpen' };
    return null;
  };

  app.post('/courses/:courseId/statements', async (req, reply) => {
    const courseId = await deanCourse(req);
    const lang = req.lang;
    // No date: the session calendar's day for the group and kind (issue 16: the calendar prefills the statement).
    const body = z.object({ groupId: Id, kind: Kind, date: z.union([z.literal(''), Day]).optional(), ...Examiners }).safeParse(req.body ?? {});
    if (!body.success) return listPage(req, reply, courseId, { error: t(lang, 'statement.badInput', { fields: fieldsOf(body.error) }), status: 422 });
    const d = await loadJournal(app.store, courseId, body.data.groupId);
    if (!d || !d.course.groups.some((g) => g.id === body.data.groupId)) return listPage(req, reply, courseId, { error: t(lang, 'statement.badInput', { fields: 'groupId' }), status: 422 });
    const planned = (await courseSessionDates(app.store, courseId)).find((x) => x.groupId === body.data.groupId && x.kind === body.data.kind);
    const date = body.data.date || planned?.date;
    if (!date) return listPage(req, reply, courseId, { error: tc(lang, 'noCalendarDate', { kind: tc(lang, body.data.kind) }), status: 422 });
    const b = { ...body.data, date };
    const studentIds = d.students.map((s) => s.id);
    const earlier = await closedAttempts(app.store, courseId, studentIds);
    const attempt = statementAttempt(studentIds.map((id) => nextAttempt(earlier.get(id) ?? [])));
    const examiners = examinerIds(b);
    const refusal = await openRefusal(courseId, b.kind, attempt, examiners, studentIds);
    if (refusal) return listPage(req, reply, courseId, { error: translateKey(lang, refusal.key, refusal.params), status: 422 });
    const admitted = await admissionOf(app.store, courseId, b.groupId, studentIds, viewCtx(req).today);
    const actor = actorOf(req, 'admin');
    const now = app.clock();
    const where = await once(app.store, req, (id: number) => withDone(`/statements/${id}`, 'opened'), async (tx) => {
      const id = await openStatement(tx, { courseId, groupId: b.groupId, kind: b.kind, date: b.date, attempt, examinerIds: examiners, studentIds }, actor, now);
      // "Not admitted" comes from the journal's verdict, the dean's override respected (issue 16, item 2).
      for (const sid of studentIds.filter((s) => admitted.get(s) === false)) {
        await writeResult(tx, { id, courseId }, sid, { outcome: 'not_admitted', mark: null, finalMark: null }, 1, actor, now, 'admission');
      }
      return id;
    });
    return seeOther(reply, where);
  });

  // A retake: a new statement for the debtors chosen, at the attempt the most advanced of them has reached.
  app.post('/courses/:courseId/retakes', async (req, reply) => {
    const courseId = await deanCourse(req);
    const lang = req.lang;
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const ids = Array.isArray(raw.studentId) ? raw.studentId : raw.studentId === undefined ? [] : [raw.studentId];
    const body = z.object({ studentId: z.array(Id).max(200), kind: Kind, date: Day, ...Examiners }).safeParse({ ...raw, studentId: ids });
    if (!body.success) return listPage(req, reply, courseId, { error: t(lang, 'statement.badInput', { fields: fieldsOf(body.error) }), status: 422 });
    const b = body.data;
    const owing = new Set((await courseOpenDebts(app.store, courseId)).map((d) => d.studentId));
    const studentIds = [...new Set(b.studentId)];
    if (!studentIds.every((id) => owing.has(id))) return listPage(req, reply, courseId, { error: t(lang, 'statement.badInput', { fields: 'studentId' }), status: 422 });
    const earlier = await closedAttempts(app.store, courseId, studentIds);
    const attempt = statementAttempt(studentIds.map((id) => nextAttempt(earlier.get(id) ?? [])));
    const examiners = examinerIds(b);
    const refusal = await openRefusal(courseId, b.kind, attempt, examiners, studentIds);
    if (refusal) return listPage(req, reply, courseId, { error: translateKey(lang, refusal.key, refusal.params), status: 422 });
    const actor = actorOf(req, 'admin');
    const where = await once(app.store, req, (id: number) => withDone(`/statements/${id}`, 'opened'), (tx) =>
      openStatement(tx, { courseId, groupId: null, kind: b.kind, date: b.date, attempt, examinerIds: examiners, studentIds }, actor, app.clock()));
    return seeOther(reply, where);
  });

  // ---------- the examiner types results: the whole form, or one row from public/statement.js ----------
  app.post('/statements/:statementId/results', async (req, reply) => {
    const st = await statementFor(req, 'enter');
    const ctx = viewCtx(req);
    const hx = !!req.headers['hx-request'];
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const entries: { studentId: number; value: string; version: number }[] = [];
    for (const [k, v] of Object.entries(raw)) {
      const m = /^r([1-9][0-9]{0,9})$/.exec(k);
      if (!m) continue;
      const value = z.string().max(20).safeParse(v);
      const version = Version.safeParse(raw[`v${m[1]}`]);
      if (!value.success || !version.success) throw new HttpError(422, 'statement.badInput', { fields: k });
      entries.push({ studentId: Number(m[1]), value: value.data, version: version.data });
    }
    if (entries.length > 500) throw new HttpError(422, 'statement.badInput', { fields: 'r' });
    const refused = entryRefusal(st.status);
    if (refused) return hx ? reply.code(409).type('text/html').send(html`<p class="error-box" role="alert">${t(ctx.lang, refused)}</p>`.value) : render(req, reply, st, { error: t(ctx.lang, refused), status: 409 });
    const roster = (await statementRoster(app.store, st, ctx.today))!;
    const byStudent = new Map(roster.rows.map((r) => [r.studentId, r]));
    // Everything is checked before anything is written: a bad entry changes nothing.
    const errors = new Map<number, string>();
    const writes: { studentId: number; version: number; outcome: ReturnType<typeof parseStatementInput> }[] = [];
    for (const e of entries) {
      const row = byStudent.get(e.studentId);
      if (!row) throw notFound();
      const parsed = parseStatementInput(e.value, st.kind, roster.scale);
      if (parsed.type === 'error') errors.set(e.studentId, translateKey(ctx.lang, parsed.error, parsed.params));
      else if (parsed.type === 'result' && !row.admitted && parsed.value.outcome !== 'not_admitted' && parsed.value.outcome !== 'absent_excused'
        && parsed.value.outcome !== 'absent_unexcused') errors.set(e.studentId, t(ctx.lang, 'statement.notAdmitted'));
      else writes.push({ studentId: e.studentId, version: e.version, outcome: parsed });
    }
    const rowsOf = async (only: number[], status: number) => {
      const fresh = (await statementRoster(app.store, st, ctx.today))!;
      return reply.code(status).type('text/html').send(fresh.rows.map((r, i) => (only.includes(r.studentId) ? statementRow(ctx.lang, r, i, true, errors.get(r.studentId)).value : '')).join(''));
    };
    if (errors.size > 0) {
      if (hx) return rowsOf(entries.map((e) => e.studentId), 422);
      return render(req, reply, st, { error: [...errors.values()][0], status: 422 });
    }
    const actor = actorOf(req, 'teacher');
    const now = app.clock();
    const conflict = await app.store.tx(async (tx) => {
      // Signed meanwhile (another tab, a double click): nothing is written into a closed statement.
      if (!(await claimOpenStatement(tx, st.id, actor, now))) throw new FormRefused('conflict');
      for (const w of writes) {
        const row = byStudent.get(w.studentId)!;
        const v = w.outcome.type === 'result' ? w.outcome.value : null;
        const fm = v ? resultFinalMark(v, roster.rules, roster.scale, row.rating) : null;
        const r = await writeResult(tx, st, w.studentId, { outcome: v?.outcome ?? null, mark: v?.mark ?? null, finalMark: fm }, w.version, actor, now);
        if (r !== 'ok') throw new FormRefused('conflict');
      }
      return false;
    }).catch((e: unknown) => { if (e instanceof FormRefused) return true; throw e; });
    if (conflict) {
      if (hx) return rowsOf(entries.map((e) => e.studentId), 409);
      return render(req, reply, st, { error: translateKey(ctx.lang, 'conflict'), status: 409 });
    }
    if (hx) return rowsOf(entries.map((e) => e.studentId), 200);
    return seeOther(reply, withDone(`/statements/${st.id}`, 'saved'));
  });

  // The examiner signs. Debts: whoever took the attempt settles their older debts here; a failure or an
  // unexcused no-show owes the course again from this statement, by the default deadline the dean may move.
  app.post('/statements/:statementId/close', async (req, reply) => {
    const st = await statementFor(req, 'enter');
    const ctx = viewCtx(req);
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    const roster = (await statementRoster(app.store, st, ctx.today))!;
    const refusal = closeRefusal({ status: st.status, attempt: st.attempt, examinerIds: st.examiners.map((e) => e.id) }, req.user!.id, roster.rows.map((r) => r.outcome));
    if (refusal) return render(req, reply, st, { error: translateKey(ctx.lang, refusal.error, refusal.params), status: 422, roster });
    const results = roster.rows.map((r) => ({ studentId: r.studentId, v: { outcome: r.outcome!, mark: r.mark } }));
    const debts = results.filter((r) => isDebt(r.v, roster.scale)).map((r) => ({ studentId: r.studentId, deadline: defaultDeadline(st.date) }));
    const settled = results.filter((r) => countsAsAttempt(r.v) || isPassed(r.v, roster.scale)).map((r) => r.studentId);
    const actor = actorOf(req, 'teacher');
    const ok = await app.store.tx(async (tx) => {
      if (!(await closeStatement(tx, st, debts, settled, actor, app.clock()))) return false;
      const token = formTokenOf(req);
      if (token) await spendFormToken(tx, req.user!.id, token, withDone(`/statements/${st.id}`, 'closed'), app.clock());
      return true;
    });
    if (!ok) return render(req, reply, st, { error: translateKey(ctx.lang, 'conflict'), status: 409, roster });
    return seeOther(reply, withDone(`/statements/${st.id}`, 'closed'));
  });

  app.post('/statements/:statementId/countersign', async (req, reply) => {
    const st = await statementFor(req, 'countersign');
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    const refusal = countersignRefusal(st.status);
    if (refusal) return render(req, reply, st, { error: t(req.lang, refusal), status: 422 });
    const where = await once(app.store, req, withDone(`/statements/${st.id}`, 'countersigned'), async (tx) => {
      if (!(await countersignStatement(tx, st, actorOf(req, 'admin'), app.clock()))) throw new FormRefused('conflict');
    }).catch((e: unknown) => { if (e instanceof FormRefused) return null; throw e; });
    if (where === null) return render(req, reply, st, { error: translateKey(req.lang, 'conflict'), status: 409 });
    return seeOther(reply, where);
  });

  // ---------- after signing: correction request → the dean's decision ----------
  app.post('/statements/:statementId/corrections', async (req, reply) => {
    const st = await statementFor(req, 'enter');
    const ctx = viewCtx(req);
    const body = z.object({ studentId: Id, newValue: z.string().trim().max(20), reason: z.string().trim().min(3).max(500) }).safeParse(req.body ?? {});
    if (!body.success) return render(req, reply, st, { error: t(ctx.lang, 'statement.badInput', { fields: fieldsOf(body.error) }), status: 422 });
    const b = body.data;
    if (st.status === 'open') return render(req, reply, st, { error: t(ctx.lang, 'statement.notClosed'), status: 422 });
    const roster = (await statementRoster(app.store, st, ctx.today))!;
    if (!roster.rows.some((r) => r.studentId === b.studentId)) throw notFound();
    const parsed = parseStatementInput(b.newValue, st.kind, roster.scale);
    if (parsed.type !== 'result') return render(req, reply, st, { error: parsed.type === 'error' ? translateKey(ctx.lang, parsed.error, parsed.params) : t(ctx.lang, 'statement.badInput', { fields: 'newValue' }), status: 422, roster });
    const where = await once(app.store, req, withDone(`/statements/${st.id}`, 'correctionSent'), (tx) =>
      fileStatementCorrection(tx, st, { studentId: b.studentId, newValue: b.newValue, reason: b.reason }, actorOf(req, 'teacher'), app.clock()));
    return seeOther(reply, where);
  });

  app.post('/statement-corrections/:correctionId', async (req, reply) => {
    const p = z.object({ correctionId: Id }).safeParse(req.params);
    const c = p.success ? await statementCorrectionById(app.store, p.data.correctionId) : undefined;
    const st = c ? await statementById(app.store, c.statementId) : undefined;
    if (!c || !st) throw notFound();
    const f = await factsOf(req, { courses: [st.courseId] });
    if (!statementAccess(f, { courseId: st.courseId, examinerIds: st.examiners.map((e) => e.id) }, 'countersign')) throw notFound();
    const ctx = viewCtx(req);
    const body = z.object({ decision: z.enum(['approve', 'reject']), note: z.string().trim().min(3).max(300) }).safeParse(req.body ?? {});
    if (!body.success) return render(req, reply, st, { error: t(ctx.lang, 'statement.badInput', { fields: fieldsOf(body.error) }), status: 422 });
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    const roster = (await statementRoster(app.store, st, ctx.today))!;
    const row = roster.rows.find((r) => r.studentId === c.studentId);
    const parsed = parseStatementInput(c.newValue, st.kind, roster.scale);
    if (!row || parsed.type !== 'result') return render(req, reply, st, { error: translateKey(ctx.lang, parsed.type === 'error' ? parsed.error : 'conflict', parsed.type === 'error' ? parsed.params : undefined), status: 422, roster });
    const approve = body.data.decision === 'approve';
    const actor = actorOf(req, 'admin');
    const now = app.clock();
    const done = withDone(`/statements/${st.id}`, 'decided');
    const ok = await app.store.tx(async (tx) => {
      if (!(await decideStatementCorrection(tx, c, st.courseId, approve, body.data.note, actor, now))) return false;
      if (approve) {
        const v = parsed.value;
        const fm = resultFinalMark(v, roster.rules, roster.scale, row.rating);
        await writeResult(tx, st, c.studentId, { outcome: v.outcome, mark: v.mark, finalMark: fm }, (await resultVersion(tx, st.id, c.studentId))!, actor, now, `${c.reason} — ${body.data.note}`);
        await settleDebt(tx, st, c.studentId, isDebt(v, roster.scale), defaultDeadline(st.date), actor, now);
      }
      const token = formTokenOf(req);
      if (token) await spendFormToken(tx, req.user!.id, token, done, now);
      return true;
    });
    if (!ok) return render(req, reply, st, { error: translateKey(ctx.lang, 'conflict'), status: 409, roster });
    return seeOther(reply, done);
  });
}

