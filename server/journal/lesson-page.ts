// The lesson page (a lesson's attendance list, the phone view of the journal) and its rows: sent by
// the lesson routes, the journal's list view and the correction requests alike.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { viewCtx } from '../plugins/request-context';
import { can, factsOf, lessonManager } from '../policy';
import { loadJournal, type JournalData } from '../../db/queries/journal';
import type { LessonRow } from '../../db/queries/lessons';
import { cellKey } from '../domain/cell-key';
import { lessonPage, lessonRow } from '../../views/lessons/lesson-page';
import { expectedAt } from '../../views/journal/grid';

/** Who manages this course's lessons for the request's user: 'teacher' (open term), 'admin' (covering), or null. */
async function managerOf(req: FastifyRequest, courseId: number): Promise<'teacher' | 'admin' | null> {
  return lessonManager(await factsOf(req, { courses: [courseId] }), courseId);
}

export async function sendLessonPage(req: FastifyRequest, reply: FastifyReply, courseId: number, lesson: LessonRow, extra: { message?: string; error?: string; status?: number; undoAt?: number } = {}) {
  const d = (await loadJournal(req.server.store, courseId))!;
  const ctx = viewCtx(req);
  const m = await managerOf(req, courseId);
  const rows = await lessonRows(req, d, lesson);
  const needsReason = !!m && (m === 'admin' || lesson.date < ctx.today);
  const groupIds = d.course.groups.map((g) => g.id);
  const jl = d.lessons.find((l) => l.id === lesson.id);
  const correctable = d.course.termLocked && jl && can(await factsOf(req, { courses: [courseId] }), { do: 'course.teach', courseId })
    ? d.students.filter((s) => expectedAt(s, jl, groupIds)).map((s) => ({ id: s.id, name: s.nameLatin && ctx.lang === 'en' ? s.nameLatin : `${s.surname} ${s.givenName}` }))
    : undefined;
  return reply.code(extra.status ?? 200).type('text/html').send(lessonPage({ ctx, data: d, lesson, rows, editable: !!m, needsReason, message: extra.message, error: extra.error, correctable, undoAt: extra.undoAt }).value);
}

export async function lessonRows(req: FastifyRequest, d: JournalData, lesson: LessonRow, only?: number, error?: string) {
  const ctx = viewCtx(req);
  const m = await managerOf(req, d.course.id);
  const groupIds = d.course.groups.map((g) => g.id);
  const jl = d.lessons.find((l) => l.id === lesson.id)!;
  const requires = new Map(d.reasons.map((r) => [r.id, r.requiresMakeup]));
  const makeupKind = lesson.kind === 'practical' || lesson.kind === 'laboratory';
  return d.students.filter((s) => (only === undefined || s.id === only) && expectedAt(s, jl, groupIds)).map((s) => {
    const record = d.records.get(cellKey(lesson.id, s.id));
    const a = record?.att;
    const makeupRequired = makeupKind && a?.status === 'absent' && !(a.reasonStatus === 'excused' && a.reasonId !== null && requires.get(a.reasonId) === false);
    return lessonRow({ ctx, courseId: d.course.id, lesson, student: s, record, reasons: d.reasons, editable: !!m && !lesson.cancelled, needsReason: !!m && (m === 'admin' || lesson.date < ctx.today), isAdmin: m === 'admin', passFail: d.course.scale.kind === 'pass_fail', makeupRequired, error });
  });
}
