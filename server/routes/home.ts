import type { FastifyInstance } from 'fastify';
import { html } from '../../views/html';
import { page } from '../../views/layout/page';
import { viewCtx } from '../plugins/request-context';
import { t } from '../../views/home/strings';
import { teacherToday, teacherCoursesList } from '../../views/home/teacher';
import { adminOverview } from '../../views/home/admin';
import { studentHomeSection, guardianHomeSection } from '../../views/home/family';
import { teacherLessonsOn, teacherCourses } from '../../db/queries/teacher-home';
import { facultyOverview } from '../../db/queries/admin-home';
import { currentTerm } from '../../db/queries/terms';
import { studentCourseProgress, guardianChildren } from '../progress/student-progress';
import { adminFacultyIds, hasRole } from '../policy';
import { lastEventId } from '../../db/queries/live';
import { changesSince, markLastSeen } from '../../db/queries/changes';
import { changesList } from '../../views/students/pages';

/** One home page, made of a section per role the user holds (a teacher who is a parent sees both). */
export default async function homeRoutes(app: FastifyInstance) {
  app.get('/', async (req, reply) => {
    if (!req.user) return reply.redirect('/login', 303);
    const since = lastEventId(app.db);
    const ctx = viewCtx(req);
    const { lang } = ctx;
    const user = req.user;
    const term = currentTerm(app.db, ctx.today);
    const sections = [];
    if (!term) sections.push(html`<p class="muted">${t(lang, 'noTerm')}</p>`);
    if (term && hasRole(user, 'admin')) {
      sections.push(adminOverview(ctx, facultyOverview(app.db, adminFacultyIds(user) ?? [], term.id, ctx.today)));
    }
    if (term && hasRole(user, 'teacher')) {
      sections.push(teacherToday(ctx, teacherLessonsOn(app.db, user.id, ctx.today)));
      sections.push(teacherCoursesList(ctx, teacherCourses(app.db, user.id, term.id, ctx.today)));
    }
    if (term && hasRole(user, 'student')) {
      sections.push(changesList(ctx, changesSince(app.db, user.id, user.lastSeenAt, app.clock(), true)));
      sections.push(studentHomeSection(ctx, user.id, studentCourseProgress(app.db, user.id, term.id, ctx.today)));
      markLastSeen(app.db, user.id, app.clock());
    }
    if (term && hasRole(user, 'guardian')) {
      sections.push(guardianHomeSection(ctx, guardianChildren(app.db, user.id, term.id, ctx.today)));
    }
    const body = html`<h1>${t(lang, 'hello', { name: user.givenName })}</h1>
      ${term ? html`<p class="muted">${t(lang, 'term', { name: lang === 'ru' ? term.nameRu : term.nameEn })}</p>` : null}
      ${sections}`;
    const live = hasRole(user, 'student') || hasRole(user, 'guardian') ? { page: 'home', since } : undefined;
    return reply.type('text/html').send(page(ctx, { title: t(lang, 'title'), body, live }).value);
  });
}
