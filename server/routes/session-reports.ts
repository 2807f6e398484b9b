// The session reports (issue 16, item 5) for the dean's office (its faculties) and the university's admin (all):
// each group's statements with pass rate, average, no-shows and debts; the students who still owe; the
// record-book averages for the scholarship. Sortable, filtered by faculty, group and term, CSV and XLSX.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { viewCtx } from '../plugins/request-context';
import { adminFacultiesOr404 } from '../policy/require';
import { currentTerm } from '../../db/queries/terms';
import { facultyChoices, groupChoices } from '../../db/queries/admin-people';
import { groupSessionStatements, statementSummaries } from '../../db/queries/statements';
import { facultyOpenDebts } from '../../db/queries/debts';
import { recordBookRowsOfScope, studentsOfScope, termsWithResults } from '../../db/queries/record-book';
import { debtorsByStudent, studentAverages } from '../domain/session-report';
import { displayName } from '../../views/names';
import {
  SESSION_TABLES, sessionFilterParams, sessionReportsPage, type SessionRows, type SessionTableName,
} from '../../views/session/session-reports';
import { sortKeys, sortRows, type Cell, type SortState, type Table } from '../../views/admin/sortable-table';
import { registerNav } from '../../views/layout/nav';
import { csvDocument } from '../../views/csv';
import { tablesWorkbook, XLSX_TYPE } from '../../views/admin/table-workbook';

registerNav({ href: '/admin/session-reports', label: { en: 'Session reports', ru: 'Итоги сессии' }, roles: ['admin'], order: 53.5 });

const NAMES = Object.keys(SESSION_TABLES) as [SessionTableName, ...SessionTableName[]];
const anyTable = (name: SessionTableName) => SESSION_TABLES[name] as unknown as Table<unknown>;
// .catch: a bad or hostile value falls back to the default instead of refusing the page (as on the Reports page).
const Query = z.object({
  faculty: Id.nullable().catch(null).default(null), group: Id.nullable().catch(null).default(null), term: Id.nullable().catch(null).default(null),
  table: z.enum(NAMES).catch('results').default('results'),
  ...Object.fromEntries(NAMES.map((n) => { const tb = anyTable(n); return [tb.param, z.enum(sortKeys(tb)).catch(tb.defaultSort).default(tb.defaultSort)]; })),
});

export default async function sessionReportRoutes(app: FastifyInstance) {
  const gather = async (req: FastifyRequest) => {
    const scope = adminFacultiesOr404(req.user);
    const ctx = viewCtx(req);
    const lang = ctx.lang;
    const raw = req.query && typeof req.query === 'object' ? req.query : {};
    const q = Query.parse(raw) as { faculty: number | null; group: number | null; term: number | null; table: SessionTableName } & Record<string, string>;
    // A filter outside the admin's scope (a stale bookmark, a guessed id) is dropped, not obeyed.
    const faculties = await facultyChoices(app.store, scope);
    const facultyId = faculties.some((f) => f.id === q.faculty) ? q.faculty : null;
    const facultyIds = facultyId === null ? scope : [facultyId];
    const groups = await groupChoices(app.store, facultyIds);
    const groupId = groups.some((g) => g.id === q.group) ? q.group : null;
    const current = await currentTerm(app.store, ctx.today);
    const signed = await termsWithResults(app.store);
    // By default the newest term with signed results: during the session the current one, before it the last session's.
    const fallback = signed[0]?.id ?? current?.id ?? 0;
    const terms = current && !signed.some((x) => x.id === current.id)
      ? [...signed, { id: current.id, nameRu: current.nameRu, nameEn: current.nameEn, startsOn: current.startsOn }] : [...signed];
    terms.sort((a, b) => b.startsOn.localeCompare(a.startsOn));
    const termId = terms.some((x) => x.id === q.term) ? q.term! : fallback;

    const statements = await groupSessionStatements(app.store, facultyIds, termId, groupId);
    const figures = await statementSummaries(app.store, statements.map((s) => s.id));
    const debts = await facultyOpenDebts(app.store, facultyIds, groupId);
    const students = await studentsOfScope(app.store, facultyIds, groupId);
    const averages = studentAverages(await recordBookRowsOfScope(app.store, facultyIds, groupId), termId);
    const debtCount = new Map<number, number>();
    for (const d of debts) debtCount.set(d.studentId, (debtCount.get(d.studentId) ?? 0) + 1);
    const debtor = new Map(debts.map((d) => [d.studentId, d]));

    const unsorted: SessionRows = {
      results: statements.map((s) => {
        const f = figures.get(s.id) ?? { total: 0, passed: 0, average: null, noShows: 0, debts: 0 };
        return { statementId: s.id, number: s.number, groupName: s.groupName ?? '', subjectRu: s.subjectRu, subjectEn: s.subjectEn, kind: s.kind, date: s.date,
          status: s.status, total: f.total, passed: f.passed, average: f.average, noShows: f.noShows, debts: f.debts };
      }),
      debtors: debtorsByStudent(debts.map((d) => ({ ...d, subject: lang === 'ru' ? d.subjectRu : d.subjectEn })), ctx.today).map((x) => {
        const d = debtor.get(x.studentId)!;
        return { studentId: x.studentId, name: displayName(d, lang), groupName: d.groupName ?? '', debts: x.debts, overdue: x.overdue,
          earliestDeadline: x.earliestDeadline, subjects: x.subjects.join('; ') };
      }),
      averages: students.map((s) => {
        const a = averages.get(s.id);
        return { studentId: s.id, name: displayName(s, lang), groupName: s.groupName, recordBook: s.recordBook, termAverage: a?.termAverage ?? null, termCourses: a?.termCourses ?? 0,
          overall: a?.overall ?? null, debts: debtCount.get(s.id) ?? 0 };
      }),
    };
    const rows = Object.fromEntries(NAMES.map((n) => [n, sortRows(unsorted[n] as unknown[], anyTable(n), q[anyTable(n).param], lang)])) as SessionRows;
    const filter = { facultyId, groupId, termId };
    const state: SortState = {
      sorts: Object.fromEntries(NAMES.map((n) => anyTable(n)).filter((tb) => q[tb.param] !== tb.defaultSort).map((tb) => [tb.param, q[tb.param]])),
      extra: sessionFilterParams(filter), path: '/admin/session-reports',
    };
    return { ctx, rows, state, filter, table: q.table, choices: { faculties, groups, terms } };
  };

  const matrix = (g: Awaited<ReturnType<typeof gather>>, name: SessionTableName): { head: string[]; body: Cell[][] } => {
    const tb = anyTable(name);
    return { head: tb.columns.map((c) => c.label(g.ctx.lang)), body: (g.rows[name] as unknown[]).map((r) => tb.columns.map((c) => c.value(r, g.ctx.lang))) };
  };

  app.get('/admin/session-reports', async (req, reply) => {
    const g = await gather(req);
    return reply.type('text/html').send(sessionReportsPage(g.ctx, g.rows, g.state, g.filter, g.choices).value);
  });

  app.get('/admin/session-reports.csv', async (req, reply) => {
    const g = await gather(req);
    const m = matrix(g, g.table);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="session-${g.table}.csv"`).send(csvDocument([m.head, ...m.body]));
  });

  app.get('/admin/session-reports.xlsx', async (req, reply) => {
    const g = await gather(req);
    const xlsx = await tablesWorkbook(g.ctx.lang, NAMES.map((name) => ({ table: anyTable(name), ...matrix(g, name) })));
    return reply.type(XLSX_TYPE).header('content-disposition', 'attachment; filename="session-reports.xlsx"').send(xlsx);
  });
}
