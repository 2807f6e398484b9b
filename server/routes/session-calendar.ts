// The session calendar (issue 16, item 1): the dean's office sets the day of each course's exam or credit per
// group, with a reserve day, time and room. The course's viewers (its teachers, the covering dean's office) see
// the page; only the covering dean's office (or the university's) sets days: a teacher gets 403, anyone else 404.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id, Version } from '../params';
import { Day, optionalText } from '../forms';
import { viewCtx } from '../plugins/request-context';
import { can, factsOf } from '../policy';
import { HttpError, notFound } from '../http-error';
import { courseForViewer } from '../journal/course-access';
import { loadJournalCourse } from '../../db/queries/journal';
import { courseSessionDates, removeSessionDate, sessionDateById, setSessionDate } from '../../db/queries/session-calendar';
import { sessionDateRefusal } from '../domain/session';
import { courseCalendarPage, type CourseCalendarView } from '../../views/session/session-calendar';
import { t } from '../../views/session/calendar-strings';
import { translateKey } from '../../views/translate';
import { doneKey, once, seeOther, withDone, FormRefused } from '../prg';

const blankToNull = <T extends z.ZodTypeAny>(inner: T) => z.union([z.literal(''), inner]).optional().transform((v) => (v === '' || v === undefined ? null : (v as z.infer<T>)));
const Body = z.object({
  groupId: Id,
  kind: z.enum(['exam', 'credit']),
  date: Day,
  reserveDate: blankToNull(Day),
  startsAt: blankToNull(z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/)),
  room: optionalText(40),
  version: blankToNull(Version),
});
const FIELDS = ['groupId', 'kind', 'date', 'reserveDate', 'startsAt', 'room', 'version'] as const;
const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 40) : '');

export default async function sessionCalendarRoutes(app: FastifyInstance) {
  const DONE = ['saved', 'removed', 'unchanged'] as const;

  const render = async (req: FastifyRequest, reply: FastifyReply, courseId: number, o: Pick<CourseCalendarView, 'message' | 'error' | 'typed'> & { status?: number } = {}) => {
    const ctx = viewCtx(req);
    const course = await loadJournalCourse(app.store, courseId);
    if (!course) throw notFound();
    const editable = can(await factsOf(req, { courses: [courseId] }), { do: 'journal.override', courseId });
    return reply.code(o.status ?? 200).type('text/html').send(courseCalendarPage(ctx, {
      courseId, subject: ctx.lang === 'ru' ? course.subjectRu : course.subjectEn, groups: course.groups, dates: await courseSessionDates(app.store, courseId),
      passFail: course.scale.kind === 'pass_fail', editable, term: { startsOn: course.termStartsOn, endsOn: course.termEndsOn }, ...o,
    }).value);
  };

  app.get('/courses/:courseId/session-dates', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const courseId = await courseForViewer(req);
    const done = doneKey(req, DONE);
    return render(req, reply, courseId, done ? { message: t(req.lang, done) } : {});
  });

  /** The course of a dean's form: viewers who are not its dean's office get 403, others 404. */
  const deanCourse = async (req: FastifyRequest, courseId?: number) => {
    const id = courseId ?? (await courseForViewer(req));
    if (courseId !== undefined && !can(await factsOf(req, { courses: [id] }), { do: 'journal.view', courseId: id })) throw notFound();
    if (!can(await factsOf(req, { courses: [id] }), { do: 'journal.override', courseId: id })) throw new HttpError(403);
    return id;
  };

  app.post('/courses/:courseId/session-dates', async (req, reply) => {
    const courseId = await deanCourse(req);
    const lang = req.lang;
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const kindTyped = raw.kind === 'credit' ? 'credit' : 'exam';
    const typed = { groupId: Number(str(raw.groupId)) || 0, kind: kindTyped as 'exam' | 'credit', date: str(raw.date), reserveDate: str(raw.reserveDate),
      startsAt: str(raw.startsAt), room: str(raw.room) };
    const body = Body.safeParse(raw);
    if (!body.success) {
      const fields = [...new Set(body.error.issues.map((i) => String(i.path[0] ?? '')))]
        .filter((f): f is (typeof FIELDS)[number] => (FIELDS as readonly string[]).includes(f));
      return render(req, reply, courseId, { error: t(lang, 'badInput', { fields: fields.map((f) => t(lang, `f.${f}`)).join(', ') }), typed, status: 422 });
    }
    const b = body.data;
    const course = (await loadJournalCourse(app.store, courseId))!;
    if (!course.groups.some((g) => g.id === b.groupId)) return render(req, reply, courseId, { error: t(lang, 'calendar.notCourseGroup'), typed, status: 422 });
    const refusal = sessionDateRefusal(b, { startsOn: course.termStartsOn, endsOn: course.termEndsOn }, course.scale.kind === 'pass_fail');
    if (refusal) return render(req, reply, courseId, { error: translateKey(lang, refusal.key, refusal.params), typed, status: 422 });
    const where = await once(app.store, req, (o: 'ok' | 'unchanged') => withDone(`/courses/${courseId}/session-dates`, o === 'ok' ? 'saved' : 'unchanged'), async (tx) => {
      const r = await setSessionDate(tx, { courseId, groupId: b.groupId, kind: b.kind, date: b.date, reserveDate: b.reserveDate, startsAt: b.startsAt, room: b.room },
        b.version, { id: req.user!.id, role: 'admin', ip: req.ip }, app.clock());
      if (r === 'conflict') throw new FormRefused('conflict');
      return r;
    }).catch((e: unknown) => { if (e instanceof FormRefused) return null; throw e; });
    if (where === null) return render(req, reply, courseId, { error: translateKey(lang, 'conflict'), status: 409 });
    return seeOther(reply, where);
  });

  app.post('/session-dates/:sessionDateId/remove', async (req, reply) => {
    const p = z.object({ sessionDateId: Id }).safeParse(req.params);
    const d = p.success ? await sessionDateById(app.store, p.data.sessionDateId) : undefined;
    if (!d) throw notFound();
    await deanCourse(req, d.courseId);
    const body = z.object({ version: Version }).safeParse(req.body ?? {});
    if (!body.success) return render(req, reply, d.courseId, { error: t(req.lang, 'badInput', { fields: t(req.lang, 'f.version') }), status: 422 });
    const where = await once(app.store, req, withDone(`/courses/${d.courseId}/session-dates`, 'removed'), async (tx) => {
      if (!(await removeSessionDate(tx, d, body.data.version, { id: req.user!.id, role: 'admin', ip: req.ip }, app.clock()))) throw new FormRefused('conflict');
    }).catch((e: unknown) => { if (e instanceof FormRefused) return null; throw e; });
    if (where === null) return render(req, reply, d.courseId, { error: translateKey(req.lang, 'conflict'), status: 409 });
    return seeOther(reply, where);
  });
}
