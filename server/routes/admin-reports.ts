import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
// exceljs is loaded on the first export, not at start: it is a quarter of the server's start-up time.
const loadExcel = async () => (await import('exceljs')).default;
import { viewCtx } from '../plugins/request-context';
import { adminFacultiesOr404 } from '../policy/require';
import { notFound } from '../http-error';
import { currentTerm } from '../../db/queries/terms';
import { facultyOverview } from '../../db/queries/admin-home';
import { completeness, courseReport, teacherReport } from '../../db/queries/reports';
import { facultyTermProgress } from '../progress/term-admission';
import { reportsPage } from '../../views/admin/reports';
import { REPORT_TABLES, type AtRisk, type ReportRows, type ReportTableName } from '../../views/admin/report-tables';
import { sortKeys, sortRows, type Cell, type SortState, type Table } from '../../views/admin/sortable-table';
import { registerNav } from '../../views/layout/nav';
import { csvDocument } from '../../views/csv';

registerNav({ href: '/admin/reports', label: { en: 'Reports', ru: 'Отчёты' }, roles: ['admin'], order: 53 });

const DAYS = 3;
const NAMES = Object.keys(REPORT_TABLES) as [ReportTableName, ...ReportTableName[]];
const anyTable = (name: ReportTableName) => REPORT_TABLES[name] as unknown as Table<unknown>;
// .catch: a bad or hostile value falls back to the default instead of refusing the page.
const Query = z.object({
  days: z.coerce.number().int().min(0).max(60).catch(DAYS).default(DAYS),
  table: z.enum(NAMES).catch('risk').default('risk'),
  ...Object.fromEntries(NAMES.map((n) => { const tb = anyTable(n); return [tb.param, z.enum(sortKeys(tb)).catch(tb.defaultSort).default(tb.defaultSort)]; })),
});

export default async function adminReportRoutes(app: FastifyInstance) {
  const gather = async (req: FastifyRequest) => {
    const faculties = adminFacultiesOr404(req.user);
    const ctx = viewCtx(req);
    const term = await currentTerm(app.store, ctx.today);
    if (!term) throw notFound();
    const raw = req.query && typeof req.query === 'object' ? req.query : {};
    const q = Query.safeParse(raw);
    const query = (q.success ? q.data : Query.parse({})) as { days: number; table: ReportTableName } & Record<string, string>;
    // Admission is the domain's verdict (rating, absence cap, make-ups, required passes): at risk = not admitted.
    // Computed for the whole scope at once (a fixed number of queries), the same verdicts as each student's page.
    const risk: AtRisk[] = [];
    const notAdmitted = new Map<number, number>();
    for (const { student: s, courses } of await facultyTermProgress(app.store, faculties, term.id, ctx.today)) {
      for (const c of courses) {
        if (c.admission.admitted) continue;
        risk.push({ studentId: s.id, courseId: c.courseId, name: `${s.surname} ${s.givenName}`, groupName: s.groupName, subject: ctx.lang === 'ru' ? c.subjectRu : c.subjectEn, reasons: c.admission.reasons });
        notAdmitted.set(c.courseId, (notAdmitted.get(c.courseId) ?? 0) + 1);
      }
    }
    const [courseRows, teacherRows, overview, completenessRows] = await Promise.all([
      courseReport(app.store, faculties, term.id), teacherReport(app.store, faculties, term.id, ctx.today),
      facultyOverview(app.store, faculties, term.id, ctx.today), completeness(app.store, faculties, term.id, ctx.today, query.days),
    ]);
    const unsorted: ReportRows = {
      risk,
      course: courseRows.map((r) => ({ ...r, notAdmitted: notAdmitted.get(r.courseId) ?? 0 })),
      teacher: teacherRows,
      group: overview.flatMap((f) => f.groups).map((g) => ({ id: g.id, name: g.name, students: g.students, absentPercent: g.absentPercent, missing: g.missing })),
      completeness: completenessRows,
    };
    const rows = Object.fromEntries(NAMES.map((n) => [n, sortRows(unsorted[n] as unknown[], anyTable(n), query[anyTable(n).param], ctx.lang)])) as ReportRows;
    const state: SortState = {
      sorts: Object.fromEntries(NAMES.map((n) => anyTable(n)).filter((tb) => query[tb.param] !== tb.defaultSort).map((tb) => [tb.param, query[tb.param]])),
      extra: query.days === DAYS ? {} : { days: String(query.days) },
    };
    return { ctx, rows, state, days: query.days, table: query.table };
  };

  /** Header and value rows of one table, in the user's language. */
  const matrix = (g: Awaited<ReturnType<typeof gather>>, name: ReportTableName): { head: string[]; body: Cell[][] } => {
    const tb = anyTable(name);
    return { head: tb.columns.map((c) => c.label(g.ctx.lang)), body: (g.rows[name] as unknown[]).map((r) => tb.columns.map((c) => c.value(r, g.ctx.lang))) };
  };

  app.get('/admin/reports', async (req, reply) => {
    const g = await gather(req);
    return reply.type('text/html').send(reportsPage(g.ctx, g.rows, g.days, g.state).value);
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
    const wb = new (await loadExcel()).Workbook();
    for (const name of NAMES) {
      const tb = anyTable(name);
      const m = matrix(g, name);
      const ws = wb.addWorksheet(tb.sheet(g.ctx.lang).slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = tb.columns.map((c) => ({ width: c.width ?? 14, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
      ws.addRow(m.head).font = { bold: true };
      for (const r of m.body) ws.addRow(r.map((v) => v ?? ''));
      if (m.body.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: m.head.length } };
    }
    const buf = await wb.xlsx.writeBuffer();
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', 'attachment; filename="reports.xlsx"').send(Buffer.from(buf));
  });
}
