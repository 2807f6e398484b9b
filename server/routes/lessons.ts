import { doneCount, doneKey, earlierOutcome, once, seeOther, withDone } from '../prg';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id, Version } from '../params';
import { viewCtx } from '../plugins/request-context';
import { can, factsOf, lessonManager, adminFacultyIds } from '../policy';
import { notFound, HttpError } from '../http-error';
import { courseForViewer } from '../journal/course-access';
import { sendLessonPage } from '../journal/lesson-page';
import { loadJournal, type JournalData } from '../../db/queries/journal';
import { cellKey } from '../domain/cell-key';
import { lessonById, createLessons, updateLesson, cellHistory, pendingMakeups, pendingExcuses, presentMarkedAt, type LessonRow } from '../../db/queries/lessons';
import { writeRecord, StaleVersion, type Actor } from '../../db/queries/records';
import { currentTerm } from '../../db/queries/terms';
import { teacherCourses } from '../../db/queries/teacher-home';
import { adminTermCourses } from '../../db/queries/lesson-admin';
import { historyPage } from '../../views/lessons/history';
import { namesForIds } from '../../db/queries/audit-search';
import { referencedIds } from '../../views/audit/words';
import { makeupsPage, coursesPage, pendingExcusesPage } from '../../views/lessons/lists';
import { expectedAt } from '../../views/journal/grid';
import { editPermission } from '../domain/editing';
import { validateMark } from '../domain/scale';
import { instantOf } from '../domain/time';
import { translateKey } from '../../views/translate';
import { t } from '../../views/lessons/strings';
import { t as ta } from '../../views/admin/strings';
import { registerNav } from '../../views/layout/nav';
import { LESSON_KINDS } from '../../db/schema';
import { admissionBefore, noticeRecordChanges } from '../progress/notices';

/** How long "everyone present" can be taken back. */
const UNDO_MS = 60_000;

registerNav({ href: '/absences/pending', label: { en: 'Excuses', ru: 'Причины пропусков' }, roles: ['admin'], order: 21 });
registerNav({ href: '/makeups', label: { en: 'Make-ups', ru: 'Отработки' }, roles: ['teacher', 'admin'], order: 20 });

const Reason = z.string().trim().max(500).optional().transform((v) => (v ? v : undefined));
const DateStr = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const TimeStr = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const LessonFields = z.object({
  date: DateStr, time: TimeStr, kind: z.enum(LESSON_KINDS), topic: z.string().trim().max(200).default(''),
  groupId: z.union([z.literal(''), Id]).optional().transform((v) => (v === '' || v === undefined ? null : v)),
});

type Manager = { actor: Actor; isAdmin: boolean };

/** Who may change this course's lessons and records: its teacher (open term) or a covering admin. */
async function manager(req: FastifyRequest, courseId: number): Promise<Manager | null> {
  const kind = lessonManager(await factsOf(req, { courses: [courseId] }), courseId);
  if (!kind) return null;
  return { actor: { id: req.user!.id, role: kind, ip: req.ip }, isAdmin: kind === 'admin' };
}

async function lessonOf(req: FastifyRequest, courseId: number): Promise<LessonRow> {
  const p = z.object({ lessonId: Id }).safeParse(req.params);
  const lesson = p.success ? await lessonById(req.server.store, p.data.lessonId) : undefined;
  if (!lesson || lesson.courseId !== courseId) throw notFound();
  return lesson;
}

export default async function lessonRoutes(app: FastifyInstance) {
  app.get('/courses', async (req, reply) => {
    if (!req.user) return reply.redirect('/login?next=/courses', 303);
    const ctx = viewCtx(req);
    const term = await currentTerm(app.store, ctx.today);
    const f = await factsOf(req);
    const teacher = can(f, { do: 'teacher.any' });
    if (!term || !(teacher || can(f, { do: 'admin.any' }))) throw notFound();
    const mine = teacher ? await teacherCourses(app.store, req.user.id, term.id, ctx.today) : [];
    return reply.type('text/html').send(coursesPage(ctx, mine, await adminCourses(req, term.id)).value);
  });

  app.get('/courses/:courseId/lessons/:lessonId', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const courseId = await courseForViewer(req);
    const lesson = await lessonOf(req, courseId);
    const done = doneKey(req, ['saved', 'markedPresent', 'correctionSent', 'undone'] as const);
    const message = done === 'correctionSent' ? ta(req.lang, 'sent') : done && t(req.lang, done, { n: doneCount(req) });
    // "Everyone present" can be taken back for a minute: the page offers it while the minute lasts.
    const at = done === 'markedPresent' && doneCount(req) > 0 ? Number((req.query as Record<string, unknown>).at) : NaN;
    const undoAt = Number.isSafeInteger(at) && app.clock() - at >= 0 && app.clock() - at < UNDO_MS ? at : undefined;
    return sendLessonPage(req, reply, courseId, lesson, { ...(message ? { message } : {}), undoAt });
  });

  // The lesson forms' addresses opened directly (a reload, a bookmark): the lesson they act on.
  for (const sub of ['cancel', 'all-present']) {
    app.get(`/courses/:courseId/lessons/:lessonId/${sub}`, async (req, reply) => {
      if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
      const courseId = await courseForViewer(req);
      const lesson = await lessonOf(req, courseId);
      return seeOther(reply, `/courses/${courseId}/lessons/${lesson.id}`);
    });
  }

  app.post('/courses/:courseId/lessons', async (req, reply) => {
    const courseId = await courseForViewer(req);
    const m = await manager(req, courseId);
    if (!m) throw new HttpError(403, 'edit.notAllowed');
    const body = LessonFields.extend({ until: DateStr.optional().or(z.literal('').transform(() => undefined)) }).safeParse(req.body ?? {});
    const d = (await loadJournal(app.store, courseId))!;
    if (!body.success) throw new HttpError(422, 'lessons.badInput', { fields: body.error.issues.map((i) => i.path.join('.')).join(', ') });
    const b = body.data;
    if (b.date < d.course.termStartsOn || b.date > d.course.termEndsOn) throw new HttpError(422, 'lessons.badDate');
    if (b.groupId !== null && !d.course.groups.some((g) => g.id === b.groupId)) throw new HttpError(422, 'lessons.badInput', { fields: 'groupId' });
    const dates = [b.date];
    if (b.until) {
      // A weekly series: same weekday and time every week until the end date (at most 30).
      if (b.until < b.date || b.until > d.course.termEndsOn) throw new HttpError(422, 'lessons.badRange');
      for (let x = addDays(b.date, 7); x <= b.until; x = addDays(x, 7)) dates.push(x);
      if (dates.length > 30) throw new HttpError(422, 'lessons.badRange');
    }
    const lessons = dates.map((date) => ({ date, startsAt: instantOf(date, b.time, app.config.universityTz), kind: b.kind, topic: b.topic, groupId: b.groupId }));
    // Sent twice (a reload, a double click), the same form adds its lessons once.
    return seeOther(reply, await once(app.store, req, `/courses/${courseId}`, (tx) => createLessons(tx, courseId, lessons, m.actor, app.clock())));
  });

  app.post('/courses/:courseId/lessons/:lessonId', async (req, reply) => {
    const courseId = await courseForViewer(req);
    const lesson = await lessonOf(req, courseId);
    const m = await manager(req, courseId);
    if (!m) throw new HttpError(403, 'edit.notAllowed');
    const body = LessonFields.extend({ version: Version, reason: Reason }).safeParse(req.body ?? {});
    if (!body.success) return sendLessonPage(req, reply, courseId, lesson, { error: translateKey(req.lang, 'lessons.badInput', { fields: body.error.issues.map((i) => i.path.join('.')).join(', ') }), status: 422 });
    const b = body.data;
    const d = (await loadJournal(app.store, courseId))!;
    if (b.date < d.course.termStartsOn || b.date > d.course.termEndsOn) return sendLessonPage(req, reply, courseId, lesson, { error: t(req.lang, 'badDate'), status: 422 });
    if (m.isAdmin && !b.reason) return sendLessonPage(req, reply, courseId, lesson, { error: translateKey(req.lang, 'edit.reasonRequired'), status: 422 });
    return saveLesson(req, reply, courseId, lesson, m, { date: b.date, startsAt: instantOf(b.date, b.time, app.config.universityTz), kind: b.kind, topic: b.topic, groupId: b.groupId }, b.version, b.reason ?? null);
  });

  app.post('/courses/:courseId/lessons/:lessonId/cancel', async (req, reply) => {
    const courseId = await courseForViewer(req);
    const lesson = await lessonOf(req, courseId);
    const m = await manager(req, courseId);
    if (!m) throw new HttpError(403, 'edit.notAllowed');
    const body = z.object({ version: Version, cancelled: z.enum(['0', '1']), reason: z.string().trim().min(3).max(500) }).safeParse(req.body ?? {});
    if (!body.success) return sendLessonPage(req, reply, courseId, lesson, { error: translateKey(req.lang, 'edit.reasonRequired'), status: 422 });
    return saveLesson(req, reply, courseId, lesson, m, { cancelled: body.data.cancelled === '1' }, body.data.version, body.data.reason);
  });

  // The bulk action a teacher uses at the start of class: everyone without an entry is present.
  app.post('/courses/:courseId/lessons/:lessonId/all-present', async (req, reply) => {
    const courseId = await courseForViewer(req);
    const lesson = await lessonOf(req, courseId);
    const m = await manager(req, courseId);
    if (!m) throw new HttpError(403, 'edit.notAllowed');
    const reason = Reason.safeParse((req.body as Record<string, unknown> | undefined)?.reason);
    const d = (await loadJournal(app.store, courseId))!;
    const ctx = viewCtx(req);
    const permission = editPermission({ lessonDate: lesson.date, today: ctx.today, termLocked: d.course.termLocked, cancelled: lesson.cancelled, actor: m.isAdmin ? 'admin' : 'teacher', reason: reason.success ? reason.data : undefined });
    if (!permission.ok) return sendLessonPage(req, reply, courseId, lesson, { error: translateKey(ctx.lang, permission.error), status: 422 });
    const groupIds = d.course.groups.map((g) => g.id);
    const jl = d.lessons.find((l) => l.id === lesson.id)!;
    const todo = d.students.filter((s) => expectedAt(s, jl, groupIds) && !d.records.get(cellKey(lesson.id, s.id))?.att?.status);
    const now = app.clock();
    let written = 0;
    const where = await once(app.store, req, () => `${withDone(`/courses/${courseId}/lessons/${lesson.id}`, 'markedPresent', written)}&at=${now}`, async (tx) => {
      const before = await admissionBefore(tx, todo.map((s) => ({ studentId: s.id, courseId })), now, app.config.universityTz);
      const out = [];
      for (const s of todo) {
        out.push({ s, r: await writeRecord(tx, 'attendance', { lessonId: lesson.id, studentId: s.id, courseId }, { status: 'present' }, d.records.get(cellKey(lesson.id, s.id))?.att?.version ?? 0, m.actor, reason.success ? reason.data ?? null : null, now) });
      }
      // Presence can move admission: its notices commit with the marks of presence.
      const notices = out.filter(({ r }) => r.changed)
        .map(({ s, r }) => ({ auditId: r.auditId, entity: 'attendance', courseId, studentId: s.id }));
      await noticeRecordChanges(tx, notices, now, app.config.universityTz, before);
      written = out.length;
    });
    return seeOther(reply, where);
  });

  // Undo of "everyone present", for a minute: the entries it wrote that nobody changed since go back to
  // empty, each through the one write path (version checked, audited, notified).
  app.post('/courses/:courseId/lessons/:lessonId/all-present/undo', async (req, reply) => {
    const courseId = await courseForViewer(req);
    const lesson = await lessonOf(req, courseId);
    const m = await manager(req, courseId);
    if (!m) throw new HttpError(403, 'edit.notAllowed');
    const at = z.coerce.number().int().min(0).safeParse((req.body as Record<string, unknown> | undefined)?.at);
    if (!at.success) return sendLessonPage(req, reply, courseId, lesson, { error: translateKey(req.lang, 'lessons.badInput', { fields: 'at' }), status: 422 });
    const now = app.clock();
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    if (now - at.data >= UNDO_MS || now < at.data) return sendLessonPage(req, reply, courseId, lesson, { error: t(req.lang, 'undoExpired'), status: 422 });
    let undone = 0;
    const where = await once(app.store, req, () => withDone(`/courses/${courseId}/lessons/${lesson.id}`, 'undone', undone), async (tx) => {
      const notices = [];
      const marked = await presentMarkedAt(tx, lesson.id, req.user!.id, at.data);
      const before = await admissionBefore(tx, marked.map((r) => ({ studentId: r.studentId, courseId })), now, app.config.universityTz);
      for (const r of marked) {
        const w = await writeRecord(tx, 'attendance', { lessonId: lesson.id, studentId: r.studentId, courseId },
          { status: null, reasonStatus: 'unknown', reasonId: null, documentRef: null }, r.version, m.actor, t(req.lang, 'undoReason'), now);
        if (w.changed) notices.push({ auditId: w.auditId, entity: 'attendance', courseId, studentId: r.studentId });
        undone++;
      }
      await noticeRecordChanges(tx, notices, now, app.config.universityTz, before);
    });
    return seeOther(reply, where);
  });

  app.get('/courses/:courseId/lessons/:lessonId/all-present/undo', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const courseId = await courseForViewer(req);
    const lesson = await lessonOf(req, courseId);
    return seeOther(reply, `/courses/${courseId}/lessons/${lesson.id}`);
  });

  // An absence's reason: the teacher records it (awaiting approval) or marks it unexcused; the dean's office approves.
  app.post('/courses/:courseId/absences', async (req, reply) => {
    const courseId = await courseForViewer(req);
    const m = await manager(req, courseId);
    if (!m) throw new HttpError(403, 'edit.notAllowed');
    const body = z.object({
      lessonId: Id, studentId: Id, av: Version, reasonId: Id.optional(), documentRef: z.string().trim().max(120).optional(),
      decision: z.enum(['proposed', 'excused', 'unexcused']), back: z.literal('/absences/pending').optional(),
    }).safeParse(req.body ?? {});
    if (!body.success) throw new HttpError(422, 'lessons.badInput', { fields: body.error.issues.map((i) => i.path.join('.')).join(', ') });
    const b = body.data;
    const lesson = await lessonById(app.store, b.lessonId);
    if (!lesson || lesson.courseId !== courseId) throw notFound();
    await requireStudentAt(req, courseId, lesson, b.studentId);
    if (b.decision === 'excused' && !m.isAdmin) throw new HttpError(403, 'edit.notAllowed');
    if (b.decision !== 'unexcused' && !b.reasonId) throw new HttpError(422, 'lessons.badInput', { fields: 'reasonId' });
    const values = b.decision === 'unexcused'
      ? { reasonStatus: 'unexcused' as const, approvedBy: m.isAdmin ? m.actor.id : null, approvedAt: m.isAdmin ? app.clock() : null }
      : { reasonStatus: b.decision === 'excused' ? ('excused' as const) : ('unknown' as const), reasonId: b.reasonId!, documentRef: b.documentRef || null,
          approvedBy: b.decision === 'excused' ? m.actor.id : null, approvedAt: b.decision === 'excused' ? app.clock() : null };
    try {
      const now = app.clock();
      await app.store.tx(async (tx) => {
        const before = await admissionBefore(tx, [{ studentId: b.studentId, courseId }], now, app.config.universityTz);
        const r = await writeRecord(tx, 'attendance', { lessonId: lesson.id, studentId: b.studentId, courseId }, values, b.av, m.actor, null, now);
        const notice = { auditId: r.auditId, entity: 'attendance', courseId, studentId: b.studentId };
        if (r.changed) await noticeRecordChanges(tx, [notice], now, app.config.universityTz, before);
      });
    } catch (e) {
      if (e instanceof StaleVersion) return sendLessonPage(req, reply, courseId, lesson, { error: translateKey(req.lang, 'conflict'), status: 409 });
      throw e;
    }
    return backTo(req, reply, b.back ?? `/courses/${courseId}/lessons/${lesson.id}`);
  });

  app.get('/absences/pending', async (req, reply) => {
    if (!req.user) return reply.redirect('/login?next=/absences/pending', 303);
    const admin = can(await factsOf(req), { do: 'admin.any' });
    const ctx = viewCtx(req);
    const term = await currentTerm(app.store, ctx.today);
    if (!admin || !term) throw notFound();
    return reply.type('text/html').send(pendingExcusesPage(ctx, await pendingExcuses(app.store, adminFacultyIds(req.user) ?? [], term.id)).value);
  });

  app.post('/courses/:courseId/makeups', async (req, reply) => {
    const courseId = await courseForViewer(req);
    const m = await manager(req, courseId);
    if (!m) throw new HttpError(403, 'edit.notAllowed');
    const body = z.object({
      lessonId: Id, studentId: Id, kv: Version, decision: z.enum(['done', 'waived']), doneOn: DateStr.optional(),
      mark: z.string().trim().max(6).optional(), waiveReason: z.string().trim().max(300).optional(),
    }).safeParse(req.body ?? {});
    if (!body.success) throw new HttpError(422, 'lessons.badInput', { fields: body.error.issues.map((i) => i.path.join('.')).join(', ') });
    const b = body.data;
    const lesson = await lessonById(app.store, b.lessonId);
    if (!lesson || lesson.courseId !== courseId) throw notFound();
    const d = await requireStudentAt(req, courseId, lesson, b.studentId);
    const ctx = viewCtx(req);
    let values;
    if (b.decision === 'done') {
      if (!b.doneOn || b.doneOn < lesson.date || b.doneOn > ctx.today) throw new HttpError(422, 'lessons.badDate');
      let mark: number | null = null;
      if (b.mark) {
        const v = validateMark(d.course.scale, b.mark);
        if (!v.ok) throw new HttpError(422, v.error, v.params);
        mark = v.value;
      }
      values = { status: 'done' as const, doneOn: b.doneOn, teacherId: m.actor.id, mark, waiveReason: null };
    } else {
      if (!b.waiveReason || b.waiveReason.length < 3) throw new HttpError(422, 'edit.reasonRequired');
      values = { status: 'waived' as const, doneOn: null, teacherId: null, mark: null, waiveReason: b.waiveReason };
    }
    try {
      const now = app.clock();
      await app.store.tx(async (tx) => {
        const before = await admissionBefore(tx, [{ studentId: b.studentId, courseId }], now, app.config.universityTz);
        const r = await writeRecord(tx, 'makeup', { lessonId: lesson.id, studentId: b.studentId, courseId }, values, b.kv, m.actor, b.decision === 'waived' ? b.waiveReason! : null, now);
        const notice = { auditId: r.auditId, entity: 'makeup', courseId, studentId: b.studentId };
        if (r.changed) await noticeRecordChanges(tx, [notice], now, app.config.universityTz, before);
      });
    } catch (e) {
      if (e instanceof StaleVersion) return sendLessonPage(req, reply, courseId, lesson, { error: translateKey(req.lang, 'conflict'), status: 409 });
      throw e;
    }
    return backTo(req, reply, `/courses/${courseId}/lessons/${lesson.id}`);
  });

  app.get('/courses/:courseId/cells/:lessonId/:studentId/history', async (req, reply) => {
    if (!req.user) throw notFound();
    const courseId = await courseForViewer(req);
    const lesson = await lessonOf(req, courseId);
    const p = z.object({ studentId: Id }).safeParse(req.params);
    const d = (await loadJournal(app.store, courseId))!;
    const student = p.success ? d.students.find((s) => s.id === p.data.studentId) : undefined;
    if (!student) throw notFound();
    const rows = await cellHistory(app.store, lesson.id, student.id);
    const names = await namesForIds(app.store, referencedIds(rows));
    return reply.type('text/html').send(historyPage(viewCtx(req), d, lesson, student, rows, names).value);
  });

  app.get('/makeups', async (req, reply) => {
    if (!req.user) return reply.redirect('/login?next=/makeups', 303);
    const ctx = viewCtx(req);
    const term = await currentTerm(app.store, ctx.today);
    const f = await factsOf(req);
    const scope = can(f, { do: 'admin.any' }) ? adminFacultyIds(req.user) : null;
    // The department is data (whose debts to list), read for a user the policy calls a teacher.
    const dept = can(f, { do: 'teacher.any' }) ? req.user.roles.find((r) => r.role === 'teacher' && r.departmentId)?.departmentId : undefined;
    if (!term || (!scope && !dept)) throw notFound();
    // A teacher sees their department's debts; a dean's office its faculty; the university admin all.
    const list = scope === 'all' ? await pendingMakeups(app.store, {}, term.id)
      : scope ? await pendingMakeups(app.store, { facultyIds: scope }, term.id)
      : await pendingMakeups(app.store, { departmentId: dept! }, term.id);
    return reply.type('text/html').send(makeupsPage(ctx, list, null).value);
  });

  app.get('/courses/:courseId/makeups', async (req, reply) => {
    if (!req.user) throw notFound();
    const courseId = await courseForViewer(req);
    const ctx = viewCtx(req);
    const term = await currentTerm(app.store, ctx.today);
    return reply.type('text/html').send(makeupsPage(ctx, term ? await pendingMakeups(app.store, { courseId }, (await loadJournal(app.store, courseId))!.course.termId) : [], courseId).value);
  });
}

/** Applies a lesson edit or (un)cancellation; a stale version shows the current lesson with a 409. */
async function saveLesson(req: FastifyRequest, reply: FastifyReply, courseId: number, lesson: LessonRow, m: Manager, changes: Parameters<typeof updateLesson>[2], version: number, reason: string | null) {
  const app = req.server;
  let next: LessonRow;
  try {
    next = await updateLesson(app.store, lesson.id, changes, version, m.actor, reason, app.clock());
  } catch (e) {
    if (e instanceof StaleVersion) return sendLessonPage(req, reply, courseId, (await lessonById(app.store, lesson.id))!, { error: t(req.lang, 'stale'), status: 409 });
    throw e;
  }
  return seeOther(reply, withDone(`/courses/${courseId}/lessons/${next.id}`, 'saved'));
}

/** The term's courses an admin's page lists: all of them for the university, their faculties' for a dean's office. */
async function adminCourses(req: FastifyRequest, termId: number) {
  const scope = adminFacultyIds(req.user);
  if (!scope) return [];
  const rows = await adminTermCourses(req.server.store, termId);
  return rows
    .filter((r) => scope === 'all' || r.facultyIds.some((f) => scope.includes(f)))
    .map((r) => ({ id: r.id, subjectRu: r.subjectRu, subjectEn: r.subjectEn, groups: r.groups }));
}

/** The student must have been expected at this lesson (in its group on its date); else nothing is written. */
async function requireStudentAt(req: FastifyRequest, courseId: number, lesson: LessonRow, studentId: number): Promise<JournalData> {
  const d = await loadJournal(req.server.store, courseId, null, studentId);
  const jl = d?.lessons.find((l) => l.id === lesson.id);
  const s = d?.students[0];
  if (!d || !jl || !s || !expectedAt(s, jl, d.course.groups.map((g) => g.id))) throw new HttpError(422, 'cell.studentNotInCourse');
  return d;
}

function backTo(req: FastifyRequest, reply: FastifyReply, url: string) {
  return reply.redirect(url, 303);
}

function addDays(iso: string, n: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

