import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { html } from '../../views/html';
import { viewCtx } from '../plugins/request-context';
import { can, factsOf } from '../policy';
import { notFound } from '../http-error';
import { loadJournal, loadJournalCourse } from '../../db/queries/journal';
import { courseStatements } from '../../db/queries/statements';
import { displayName } from '../../views/names';
import { writeCell, CellBody, listFormBody, type CellWriteOutcome } from '../journal/write-cell';
import { translateKey } from '../../views/translate';
import { registerNav } from '../../views/layout/nav';
import { formatDateTime } from '../../views/format';
import { lessonById } from '../../db/queries/lessons';
import { lastEventId } from '../../db/queries/live';
import { courseForViewer } from '../journal/course-access';
import { lessonRows, sendLessonPage } from '../journal/lesson-page';
import { renderCellFragments } from '../journal/fragments';
import { renderJournalPage } from '../journal/page-render';

const JournalQuery = z.object({ group: Id.optional() });

export default async function journalRoutes(app: FastifyInstance) {
  app.get('/courses/:courseId', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const courseId = await courseForViewer(req);
    const q = JournalQuery.safeParse(req.query);
    const groupId = q.success ? q.data.group ?? null : null;
    const since = await lastEventId(app.store); // taken first: anything after it is replayed to the page's socket
    const ctx = viewCtx(req);
    const f = await factsOf(req, { courses: [courseId] });
    const editable = can(f, { do: 'journal.write', courseId }) || can(f, { do: 'journal.override', courseId });
    const page = await renderJournalPage(app.store, app.journalRows, ctx, courseId, groupId, { editable, groupId, liveSince: since });
    if (page === null) throw notFound();
    return reply.type('text/html').send(page);
  });

  // The journal's old per-group "exam statement" sheet became the statement document (issue 16): its address
  // leads to the group's latest statement, or to the course's statements where the dean's office opens one.
  app.get('/courses/:courseId/statement', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const courseId = await courseForViewer(req);
    const q = z.object({ group: Id }).safeParse(req.query);
    const course = await loadJournalCourse(app.store, courseId);
    const group = q.success ? course?.groups.find((g) => g.id === q.data.group) : course?.groups[0];
    if (!course || !group) throw notFound();
    const latest = (await courseStatements(app.store, courseId)).filter((st) => st.groupId === group.id).at(-1);
    return reply.redirect(latest ? `/statements/${latest.id}` : `/courses/${courseId}/statements`, 303);
  });

  // One cell: parse → policy → domain rules → one transaction (record + audit) → publish → fragment.
  app.post('/courses/:courseId/cells', async (req, reply) => {
    if (!req.user) throw notFound();
    const courseId = await courseForViewer(req);
    const ctx = viewCtx(req);
    const body = CellBody.safeParse(listFormBody(req.body ?? {}));
    if (!body.success) return sendRefusal(reply, 400, translateKey(ctx.lang, 'cell.badRequest'));
    const actor = { user: req.user, facts: await factsOf(req, { courses: [courseId] }), ip: req.ip };
    const outcome = await writeCell(app.store, actor, courseId, body.data, app.clock(), app.config.universityTz);
    if (body.data.view === 'list') return sendListOutcome(req, reply, courseId, body.data.lessonId, body.data.studentId, outcome);
    return sendOutcome(req, reply, courseId, body.data.lessonId, body.data.studentId, outcome);
  });

  app.get('/courses/:courseId/cells/:lessonId/:studentId', async (req, reply) => {
    if (!req.user) throw notFound();
    const courseId = await courseForViewer(req);
    const p = z.object({ lessonId: Id, studentId: Id }).safeParse(req.params);
    if (!p.success) throw notFound();
    return reply.type('text/html').send(await cellFragments(req, courseId, p.data.lessonId, p.data.studentId));
  });
}

/** The cell, its row's summary and its column's head count, each with its id: the client swaps by id. */
export async function cellFragments(req: FastifyRequest, courseId: number, lessonId: number, studentId: number): Promise<string> {
  const out = await renderCellFragments(req.server.store, viewCtx(req), courseId, lessonId, studentId);
  if (out === null) throw notFound();
  return out;
}

/** The lesson list (phone view): htmx gets the student's row back; a plain form post gets the page. */
async function sendListOutcome(req: FastifyRequest, reply: FastifyReply, courseId: number, lessonId: number, studentId: number, o: CellWriteOutcome) {
  if (o.kind === 'notFound') throw notFound();
  const lesson = await lessonById(req.server.store, lessonId);
  if (!lesson || lesson.courseId !== courseId) throw notFound();
  const status = o.kind === 'ok' ? 200 : o.kind === 'conflict' ? 409 : o.kind === 'forbidden' ? 403 : 422;
  const error = o.kind === 'ok' ? undefined : o.kind === 'conflict' ? translateKey(req.lang, 'conflict') : translateKey(req.lang, o.error, o.params);
  if (!req.headers['hx-request']) {
    if (o.kind === 'ok') return reply.redirect(`/courses/${courseId}/lessons/${lessonId}`, 303);
    return sendLessonPage(req, reply, courseId, lesson, { error, status });
  }
  const d = (await loadJournal(req.server.store, courseId, null, studentId))!;
  const row = (await lessonRows(req, d, lesson, studentId, error))[0];
  return reply.code(status).type('text/html').send(row?.value ?? '');
}

function sendRefusal(reply: FastifyReply, status: number, message: string, extra = '') {
  return reply.code(status).type('text/html').send(html`<p class="error-box" role="alert" id="cell-error">${message}</p>`.value + extra);
}

async function sendOutcome(req: FastifyRequest, reply: FastifyReply, courseId: number, lessonId: number, studentId: number, o: CellWriteOutcome) {
  const ctx = viewCtx(req);
  switch (o.kind) {
    case 'ok':
      return reply.type('text/html').send(await cellFragments(req, courseId, lessonId, studentId));
    case 'notFound':
      throw notFound();
    case 'invalid':
      return sendRefusal(reply, 422, translateKey(ctx.lang, o.error, o.params));
    case 'reasonRequired':
      return sendRefusal(reply.header('x-reason-required', '1'), 422, translateKey(ctx.lang, o.error, o.params));
    case 'forbidden':
      return sendRefusal(reply, 403, translateKey(ctx.lang, o.error, o.params));
    case 'conflict': {
      const by = o.updatedBy ? displayName(o.updatedBy, ctx.lang) : '—';
      const when = o.updatedAt ? formatDateTime(o.updatedAt, ctx.lang, ctx.tz) : '';
      return sendRefusal(reply, 409, translateKey(ctx.lang, 'cell.conflict', { by, when }), await cellFragments(req, courseId, lessonId, studentId));
    }
  }
}

registerNav({ href: '/courses', label: { en: 'My courses', ru: 'Мои курсы' }, roles: ['teacher'], order: 10 });
