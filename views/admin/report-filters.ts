// The Reports page's filters (issue 14, item 8): faculty, group, course and teacher, kept by every sort link,
// page link and export; the at-risk table in pages.
import { html, type Html } from '../html';
import type { Lang } from '../../db/schema';
import type { Choice } from '../../db/queries/admin-people';
import type { ReportChoices } from '../../db/queries/reports';
import { pageSizeField, type Paging } from '../layout/pager';
import { t } from './strings';

export type ReportFilter = { facultyId: number | null; groupId: number | null; courseId: number | null; teacherId: number | null };
export type ReportFilterChoices = ReportChoices & { faculties: Choice[]; groups: Choice[] };
export type ReportFilterView = { filter: ReportFilter; paging: Paging; choices: ReportFilterChoices };

/** The filter as query parameters (only those set), for links that keep it. */
export function reportFilterParams(f: ReportFilter): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.facultyId !== null) out.faculty = String(f.facultyId);
  if (f.groupId !== null) out.group = String(f.groupId);
  if (f.courseId !== null) out.course = String(f.courseId);
  if (f.teacherId !== null) out.teacher = String(f.teacherId);
  return out;
}

export const isFiltered = (f: ReportFilter) => Object.keys(reportFilterParams(f)).length > 0;

const option = (value: number | '', label: string, chosen: boolean) => html`<option value="${value}"${chosen ? html` selected` : null}>${label}</option>`;

/** A GET form: choosing and pressing "Show" reloads the page with the filters in its address (bookmarkable). */
export function reportFilterForm(lang: Lang, v: ReportFilterView, hidden: Record<string, string>): Html {
  const { filter: f, choices: c } = v;
  return html`<form method="get" action="/admin/reports" class="list-filters card" id="report-filters">
${Object.entries(hidden).map(([k, val]) => html`<input type="hidden" name="${k}" value="${val}">`)}
${c.faculties.length > 1 ? html`<label>${t(lang, 'filterFaculty')} <select name="faculty">${option('', t(lang, 'filterAll'), f.facultyId === null)}${c.faculties.map((x) => option(x.id, lang === 'ru' ? x.label : x.labelEn, f.facultyId === x.id))}</select></label>` : null}
<label>${t(lang, 'group')} <select name="group">${option('', t(lang, 'filterAll'), f.groupId === null)}${c.groups.map((x) => option(x.id, x.label, f.groupId === x.id))}</select></label>
<label>${t(lang, 'subject')} <select name="course">${option('', t(lang, 'filterAll'), f.courseId === null)}${c.courses.map((x) => option(x.id, `${lang === 'ru' ? x.subjectRu : x.subjectEn} (${x.groups})`, f.courseId === x.id))}</select></label>
<label>${t(lang, 'teacher')} <select name="teacher">${option('', t(lang, 'filterAll'), f.teacherId === null)}${c.teachers.map((x) => option(x.id, x.name, f.teacherId === x.id))}</select></label>
${pageSizeField(lang, v.paging)}
<button type="submit" class="primary">${t(lang, 'filterShow')}</button>
${isFiltered(f) ? html`<a href="/admin/reports" id="report-filters-clear">${t(lang, 'filterClear')}</a>` : null}
</form>`;
}
