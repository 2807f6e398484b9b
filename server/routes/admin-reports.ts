import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
// exceljs is loaded on the first export, not at start: it is a quarter of the server's start-up time.
import { viewCtx } from '../plugins/request-context';
import { adminFacultiesOr404 } from '../policy/require';
import { notFound } from '../http-error';
import { currentTerm } from '../../db/queries/terms';
import { facultyOverview } from '../../db/queries/admin-home';
import { completeness, courseReport, reportChoices, reportCourseIds, teacherReport, type ReportScope } from '../../db/queries/reports';
import { facultyChoices, groupChoices } from '../../db/queries/admin-people';
import { Id } from '../params';
import { pagingOf, shownPage } from '../../views/layout/pager';
import { reportFilterParams, type ReportFilter } from '../../views/admin/report-filters';
import { facultyTermProgress } from '../progress/term-admission';
import { reportsPage } from '../../views/admin/reports';
import { displayName } from '../../views/names';
import { REPORT_TABLES, type AtRisk, type ReportRows, type ReportTableName } from '../../views/admin/report-tables';
import { sortKeys, sortRows, type Cell, type SortState, type Table } from '../../views/admin/sortable-table';
import { registerNav } from '../../views/layout/nav';
import { csvDocument } from '../../views/csv';
import { tablesWorkbook, XLSX_TYPE } from '../../views/admin/table-workbook';

registerNav({ href: '/admin/reports', label: { en: 'Reports', ru: 'Отчёты' }, roles: ['admin'], order: 53 });

const DAYS = 3;
const NAMES = Object.keys(REPORT_TABLES) as [ReportTableName, ...ReportTableName[]];
const anyTable = (name: ReportTableName) => REPORT_TABLES[name] as unknown as Table<unknown>;
// .catch: a bad or hostile value falls back to the default instead of refusing the page.
const Filters = z.object({ faculty: Id.nullable().catch(null).default(null), group: Id.nullable().catch(null).default(null),
  course: Id.nullable().catch(null).default(null), teacher: Id.nullable().catch(null).default(null) });
const Query = z.object({
  days: z.coerce.number().int().min(0).max(60).catch(DAYS).default(DAYS),
  table: z.enum(NAMES).catch('risk').default('risk'),
  ...Object.fromEntries(NAMES.map((n) => { const tb = anyTable(n); return [tb.param, z.enum(sortKeys(tb)).catch(tb.defaultSort).default(tb.defaultSort)]; })),
});

export default async function adminReportRoutes(app: FastifyInstance) {
  const gather = async (req: FastifyRequest) => {
    const scope = adminFacultiesOr404(req.user);
    const ctx = viewCtx(req);
    const term = await currentTerm(app.store, ctx.today);
    if (!term) throw notFound();
    const raw = req.query && typeof req.query === 'object' ? req.query : {};
    const q = Query.safeParse(raw);
    const query = (q.success ? q.data : Query.parse({})) as { days: number; table: ReportTableName } & Record<string, string>;
    // A filter outside the admin's scope or the term (a stale bookmark, a guessed id) is dropped, not obeyed.
    const asked = Filters.parse(raw);
    const [faculties, choices] = await Promise.all([facultyChoices(app.store, scope), reportChoices(app.store, scope, term.id)]);
    const facultyId = faculties.some((f) => f.id === asked.faculty) ? asked.faculty : null;
    const facultyIds = facultyId === null ? scope : [facultyId];
    const groups = await groupChoices(app.store, facultyIds);
    const filter: ReportFilter = {
      facultyId,
      groupId: groups.some((g) => g.id === asked.group) ? asked.group : null,
      courseId: choices.courses.some((c) => c.id === asked.course) ? asked.course : null,
      teacherId: choices.teachers.some((x) => x.id === asked.teacher) ? asked.teacher : null,
    };
    // A course filter and a teacher filter narrow to the courses that pass both.
    let courseIds: number[] | null = filter.courseId === null ? null : [filter.courseId];
    if (filter.teacherId !== null) {
      const taught = await reportCourseIds(app.store, facultyIds, term.id, { groupId: null, teacherId: filter.teacherId });
      courseIds = courseIds === null ? taught : courseIds.filter((c) => taught.includes(c));
    }
    const reportScope: ReportScope = { facultyIds, groupId: filter.groupId, courseIds };
    // Admission is the domain's verdict (rating, absence cap, make-ups, required passes): at risk = not admitted.
    // Computed for the whole scope at once (a fixed number of queries), the same verdicts as each student's page.
    const risk: AtRisk[] = [];
    const notAdmitted = new Map<number, number>();
    for (const { student: s, courses } of await facultyTermProgress(app.store, facultyIds, term.id, ctx.today, filter.groupId)) {
      for (const c of courses) {
        if (c.admission.admitted || (courseIds !== null && !courseIds.includes(c.courseId))) continue;
        risk.push({ studentId: s.id, courseId: c.courseId, name: displayName({ surname: s.surname, givenName: s.givenName, nameLatin: s.nameLatin }, ctx.lang), groupName: s.groupName, subject: ctx.lang === 'ru' ? c.subjectRu : c.subjectEn, reasons: c.admission.reasons });
        notAdmitted.set(c.courseId, (notAdmitted.get(c.courseId) ?? 0) + 1);
      }
    }
    const [courseRows, teacherRows, overview, completenessRows] = await Promise.all([
      courseReport(app.store, reportScope, term.id), teacherReport(app.store, reportScope, term.id, ctx.today),
      facultyOverview(app.store, facultyIds, term.id, ctx.today), completeness(app.store, reportScope, term.id, ctx.today, query.days),
    ]);
    const onlyTeacher = <R extends { teacherId: number }>(rows: R[]) => (filter.teacherId === null ? rows : rows.filter((r) => r.teacherId === filter.teacherId));
    const unsorted: ReportRows = {
      risk,
      course: courseRows.map((r) => ({ ...r, notAdmitted: notAdmitted.get(r.courseId) ?? 0 })),
      teacher: onlyTeacher(teacherRows),
      group: overview.flatMap((f) => f.groups).filter((g) => filter.groupId === null || g.id === filter.groupId)
        .map((g) => ({ id: g.id, name: g.name, students: g.students, absentPercent: g.absentPercent, missing: g.missing })),
      completeness: onlyTeacher(completenessRows),
    };
    const rows = Object.fromEntries(NAMES.map((n) => [n, sortRows(unsorted[n] as unknown[], anyTable(n), query[anyTable(n).param], ctx.lang)])) as ReportRows;
    const filterParams = reportFilterParams(filter);
    const state: SortState = {
      sorts: Object.fromEntries(NAMES.map((n) => anyTable(n)).filter((tb) => query[tb.param] !== tb.defaultSort).map((tb) => [tb.param, query[tb.param]])),
      extra: { ...filterParams, ...(query.days === DAYS ? {} : { days: String(query.days) }) },
    };
    const paging = shownPage(pagingOf(raw), rows.risk.length);
    return { ctx, rows, state, days: query.days, table: query.table, filter, paging, choices: { faculties, groups, ...choices } };
  };

  /** Header and value rows of one table, in the user's language. */
  const matrix = (g: Awaited<ReturnType<typeof gather>>, name: ReportTableName): { head: string[]; body: Cell[][] } => {
    const tb = anyTable(name);
    return { head: tb.columns.map((c) => c.label(g.ctx.lang)), body: (g.rows[name] as unknown[]).map((r) => tb.columns.map((c) => c.value(r, g.ctx.lang))) };
  };

  app.get('/admin/reports', async (req, reply) => {
    const g = await gather(req);
    return reply.type('text/html').send(reportsPage(g.ctx, g.rows, g.days, g.state, { filter: g.filter, paging: g.paging, choices: g.choices }).value);
  });

  app.get('/admin/reports.csv', async (req, reply) => {
    const g = await gather(req);
    const m = matrix(g, g.table);
    const file = g.table === 'risk' ? 'students-at-risk.csv' : `report-${g.table}.csv`;
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`)
      .send(csvDocument([m.head, ...m.body]));
  });

  app.get('/admin/reports.xlsx', async (req, reply) => {
    const g = await gather(req);
    const xlsx = await tablesWorkbook(g.ctx.lang, NAMES.map((name) => ({ table: anyTable(name), ...matrix(g, name) })));
    return reply.type(XLSX_TYPE).header('content-disposition', 'attachment; filename="reports.xlsx"').send(xlsx);
  });
}
