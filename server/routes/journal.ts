import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { html } from '../../views/html';
import type { DB } from '../../db/client';
import type { ViewCtx } from '../../views/context';
import { viewCtx } from '../plugins/request-context';
import { can, mayPrintGroupJournal } from '../policy';
import { notFound } from '../http-error';
import { loadJournal, presentAt, courseHasMarks } from '../../db/queries/journal';
import { cellKey } from '../domain/cell-key';
import { journalPage } from '../../views/journal/page';
import { statementPage } from '../../views/journal/statement';
import { cell } from '../../views/journal/cell';
import { rowSummary } from '../../views/journal/row-summary';
import { expectedAt } from '../../views/journal/grid';
import { formatDayShort } from '../../views/format';
import { shortName, displayName } from '../../views/names';
import { journalSummaries } from '../journal/summaries';
import { writeCell, CellBody, type CellWriteOutcome } from '../journal/write-cell';
import { translateKey } from '../../views/translate';
import { registerNav } from '../../views/layout/nav';
import { t as tj } from '../../views/journal/strings';
import { formatDateTime } from '../../views/format';
import { lessonById } from '../../db/queries/lessons';
import { lastEventId } from '../../db/queries/live';
import { lessonRows, sendLessonPage } from './lessons';

const CourseParams = z.object({ courseId: Id });
const JournalQuery = z.object({ group: Id.optional() });

/** Looks the course up through the policy: someone else's course is simply not there (404). */
export function courseForViewer(req: FastifyRequest): number {
  const p = CourseParams.safeParse(req.params);
  if (!p.success || !can(req.server.db, req.user, { do: 'journal.view', courseId: p.data.courseId })) throw notFound();
  return p.data.courseId;
}

export default async function journalRoutes(app: FastifyInstance) {
  app.get('/courses/:courseId', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const courseId = courseForViewer(req);
    const q = JournalQuery.safeParse(req.query);
    const groupId = q.success ? q.data.group ?? null : null;
    const since = lastEventId(app.db); // taken first: anything after it is replayed to the page's socket
    const d = loadJournal(app.db, courseId, groupId);
    if (!d) throw notFound();
    const ctx = viewCtx(req);
    const editable = can(app.db, req.user, { do: 'journal.write', courseId }) || can(app.db, req.user, { do: 'journal.override', courseId });
    const summaries = journalSummaries(d, ctx.today);
    return reply.type('text/html').send(journalPage(ctx, d, summaries, { editable, groupId, liveSince: since }).value);
  });

  app.get('/courses/:courseId/statement', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const courseId = courseForViewer(req);
    const q = z.object({ group: Id }).safeParse(req.query);
    const all = loadJournal(app.db, courseId);
    const group = q.success ? all?.course.groups.find((g) => g.id === q.data.group) : all?.course.groups[0];
    if (!all || !group) throw notFound();
    const d = loadJournal(app.db, courseId, group.id)!;
    const ctx = viewCtx(req);
    const summaries = journalSummaries(d, ctx.today);
    const examMarks = new Map<number, number>();
    for (const l of d.lessons.filter((x) => x.kind === 'exam')) for (const s of d.students) {
      const v = d.records.get(cellKey(l.id, s.id))?.mark?.value;
      if (v !== null && v !== undefined) examMarks.set(s.id, v);
    }
    const faculty = app.db.$client.prepare('SELECT name_ru AS ru, name_en AS en FROM faculties WHERE id = ?').get(group.facultyId) as { ru: string; en: string };
    return reply.type('text/html').send(statementPage(ctx, d, group.name, ctx.lang === 'ru' ? faculty.ru : faculty.en, summaries, examMarks,
      mayPrintGroupJournal(req.user, group.facultyId) ? `/groups/${group.id}/journal?term=${d.course.termId}` : null).value);
  });

  // One cell: parse → policy → domain rules → one transaction (record + audit) → publish → fragment.
  app.post('/courses/:courseId/cells', async (req, reply) => {
    if (!req.user) throw notFound();
    const courseId = courseForViewer(req);
    const ctx = viewCtx(req);
    const body = CellBody.safeParse(req.body ?? {});
    if (!body.success) return sendRefusal(reply, 400, translateKey(ctx.lang, 'cell.badRequest'));
    const outcome = writeCell(app, req, courseId, body.data);
    if (body.data.view === 'list') return sendListOutcome(req, reply, courseId, body.data.lessonId, body.data.studentId, outcome);
    return sendOutcome(req, reply, courseId, body.data.lessonId, body.data.studentId, outcome);
  });

  app.get('/courses/:courseId/cells/:lessonId/:studentId', async (req, reply) => {
    if (!req.user) throw notFound();
    const courseId = courseForViewer(req);
    const p = z.object({ lessonId: Id, studentId: Id }).safeParse(req.params);
    if (!p.success) throw notFound();
    return reply.type('text/html').send(cellFragments(req, courseId, p.data.lessonId, p.data.studentId));
  });
}

/** The cell, its row's summary and its column's head count, each with its id: the client swaps by id. */
export function cellFragments(req: FastifyRequest, courseId: number, lessonId: number, studentId: number): string {
  const out = renderCellFragments(req.server.db, viewCtx(req), courseId, lessonId, studentId);
  if (out === null) throw notFound();
  return out;
}

/** The same fragments without a request: the realtime hub renders them once per language. */
export function renderCellFragments(db: DB, view: Pick<ViewCtx, 'lang' | 'today'>, courseId: number, lessonId: number, studentId: number): string | null {
  const d = loadJournal(db, courseId, null, studentId);
  const lesson = d?.lessons.find((l) => l.id === lessonId);
  const student = d?.students[0];
  if (!d || !lesson || !student) return null;
  const summaries = journalSummaries(d, view.today, [student], courseHasMarks(db, courseId));
  const groupIds = d.course.groups.map((g) => g.id);
  const name = shortName(student);
  return html`<table><tbody><tr>${cell({
    lang: view.lang, lessonId, studentId, record: d.records.get(cellKey(lessonId, studentId)),
    expected: !lesson.cancelled && expectedAt(student, lesson, groupIds), passFail: d.course.scale.kind === 'pass_fail',
    passMin: d.course.scale.passMin, label: tj(view.lang, 'cellLabel', { student: name, date: formatDayShort(lesson.date, view.lang) }),
  })}${rowSummary(view.lang, studentId, summaries.get(studentId)!)}</tr></tbody></table><span class="pc" id="pc-${lessonId}">${presentAt(db, lessonId)}</span>`.value;
}

/** One student's row summary (rating, absences, admission) alone: pushed when the course's rules change. */
export function renderRowSummaryFragment(db: DB, view: Pick<ViewCtx, 'lang' | 'today'>, courseId: number, studentId: number): string | null {
  const d = loadJournal(db, courseId, null, studentId);
  const student = d?.students[0];
  if (!d || !student) return null;
  const summaries = journalSummaries(d, view.today, [student], courseHasMarks(db, courseId));
  return html`<table><tbody><tr>${rowSummary(view.lang, studentId, summaries.get(studentId)!)}</tr></tbody></table>`.value;
}

/** The lesson list (phone view): htmx gets the student's row back; a plain form post gets the page. */
function sendListOutcome(req: FastifyRequest, reply: FastifyReply, courseId: number, lessonId: number, studentId: number, o: CellWriteOutcome) {
  if (o.kind === 'notFound') throw notFound();
  const lesson = lessonById(req.server.db, lessonId);
  if (!lesson || lesson.courseId !== courseId) throw notFound();
  const status = o.kind === 'ok' ? 200 : o.kind === 'conflict' ? 409 : o.kind === 'forbidden' ? 403 : 422;
  const error = o.kind === 'ok' ? undefined : o.kind === 'conflict' ? translateKey(req.lang, 'conflict') : translateKey(req.lang, o.error, o.params);
  if (!req.headers['hx-request']) {
    if (o.kind === 'ok') return reply.redirect(`/courses/${courseId}/lessons/${lessonId}`, 303);
    return sendLessonPage(req, reply, courseId, lesson, { error, status });
  }
  const d = loadJournal(req.server.db, courseId, null, studentId)!;
  const row = lessonRows(req, d, lesson, studentId, error)[0];
  return reply.code(status).type('text/html').send(row?.value ?? '');
}

function sendRefusal(reply: FastifyReply, status: number, message: string, extra = '') {
  return reply.code(status).type('text/html').send(html`<p class="error-box" role="alert" id="cell-error">${message}</p>`.value + extra);
}

function sendOutcome(req: FastifyRequest, reply: FastifyReply, courseId: number, lessonId: number, studentId: number, o: CellWriteOutcome) {
  const ctx = viewCtx(req);
  switch (o.kind) {
    case 'ok':
      return reply.type('text/html').send(cellFragments(req, courseId, lessonId, studentId));
    case 'notFound':
      throw notFound();
    case 'invalid':
      return sendRefusal(reply, 422, translateKey(ctx.lang, o.error, o.params));
    case 'reasonRequired':
      return sendRefusal(reply.header('x-reason-required', '1'), 422, translateKey(ctx.lang, o.error, o.params));
    case 'forbidden':
      return sendRefusal(reply, 403, translateKey(ctx.lang, o.error, o.params));
    case 'conflict': {
      const by = o.updatedBy ? displayName(o.updatedBy) : '—';
      const when = o.updatedAt ? formatDateTime(o.updatedAt, ctx.lang, ctx.tz) : '';
      return sendRefusal(reply, 409, translateKey(ctx.lang, 'cell.conflict', { by, when }), cellFragments(req, courseId, lessonId, studentId));
    }
  }
}

registerNav({ href: '/courses', label: { en: 'My courses', ru: 'Мои курсы' }, roles: ['teacher'], order: 10 });
