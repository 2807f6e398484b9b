import type { FastifyInstance } from 'fastify';
import { html } from '../../views/html';
import { page } from '../../views/layout/page';
import { viewCtx } from '../plugins/request-context';
import { t } from '../../views/home/strings';
import { teacherToday, teacherCoursesList } from '../../views/home/teacher';
import { adminOverview } from '../../views/home/admin';
import { studentHomeSection, guardianHomeSection } from '../../views/home/family';
import { teacherLessonsOn, teacherCourses } from '../../db/queries/teacher-home';
import { examinerStatements } from '../../db/queries/statements';
import { examinerCalendar } from '../../views/session/calendar';
import { studentPlannedExams, teacherPlannedExams } from '../../db/queries/session-calendar';
import { teacherExamDays } from '../../views/session/session-calendar';
import { facultyOverview } from '../../db/queries/admin-home';
import { currentTerm } from '../../db/queries/terms';
import { guardianChildren } from '../progress/student-progress';
import { cachedProgress } from '../progress/progress-cache';
import { adminFacultyIds, can, factsOf } from '../policy';
import { lastEventId } from '../../db/queries/live';
import { changesSince } from '../../db/queries/changes';
import { changesList } from '../../views/students/pages';
import { hourInZone, partOfDay } from '../domain/time';
import { givenNameOf } from '../../views/names';

/** One home page, made of a section per role the user holds (a teacher who is a parent sees both). */
export default async function homeRoutes(app: FastifyInstance) {
  const progress = cachedProgress(app.progress, app.store);
  app.get('/', async (req, reply) => {
    if (!req.user) return reply.redirect('/login', 303);
    const since = await lastEventId(app.store);
    const ctx = viewCtx(req);
    const { lang } = ctx;
    const user = req.user;
    const f = await factsOf(req);
    const isStudent = can(f, { do: 'student.self' });
    const isGuardian = can(f, { do: 'guardian.any' });
    const term = await currentTerm(app.store, ctx.today);
    const sections = [];
    if (!term) sections.push(html`<p class="muted">${t(lang, 'noTerm')}</p>`);
    if (term && can(f, { do: 'admin.any' })) {
      sections.push(adminOverview(ctx, await facultyOverview(app.store, adminFacultyIds(user) ?? [], term.id, ctx.today)));
    }
    if (term && can(f, { do: 'teacher.any' })) {
      sections.push(teacherToday(ctx, await teacherLessonsOn(app.store, user.id, ctx.today)));
      sections.push(teacherCoursesList(ctx, await teacherCourses(app.store, user.id, term.id, ctx.today)));
      const statements = examinerCalendar(ctx, await examinerStatements(app.store, user.id));
      if (statements) sections.push(statements);
      const examDays = teacherExamDays(ctx, await teacherPlannedExams(app.store, user.id, ctx.today));
      if (examDays) sections.push(examDays);
    }
    if (term && isStudent) {
      sections.push(changesList(ctx, await changesSince(app.store, user.id, app.visits.lastSeen(user.id, user.lastSeenAt), app.clock(), true)));
      sections.push(studentHomeSection(ctx, user.id, await progress(user.id, term.id, ctx.today), await studentPlannedExams(app.store, user.id, ctx.today)));
      app.visits.seen(user.id, app.clock());
    }
    if (term && isGuardian) {
      const children = await guardianChildren(app.store, user.id, term.id, ctx.today, progress);
      const examDays = new Map(await Promise.all(children.map(async (c) => [c.studentId, await studentPlannedExams(app.store, c.studentId, ctx.today)] as const)));
      sections.push(guardianHomeSection(ctx, children, examDays));
    }
    const body = html`<h1>${t(lang, `hello_${partOfDay(hourInZone(app.clock(), ctx.tz))}`, { name: givenNameOf(user, lang) })}</h1>
      ${term ? html`<p class="muted">${t(lang, 'term', { name: lang === 'ru' ? term.nameRu : term.nameEn })}</p>` : null}
      ${sections}`;
    const live = isStudent || isGuardian ? { page: 'home', since } : undefined;
    return reply.type('text/html').send(page(ctx, { title: t(lang, 'title'), body, live }).value);
  });
}
