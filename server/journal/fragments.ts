// The journal's cell and row fragments, rendered from the store alone: the route answering a save and
// the realtime hub pushing it render the same markup (one fragment for page, htmx answer and push).
import { html } from '../../views/html';
import type { Queryable } from '../../db/store';
import type { ViewCtx } from '../../views/context';
import { loadJournal, presentAt, courseHasMarks } from '../../db/queries/journal';
import { cellKey } from '../domain/cell-key';
import { cell } from '../../views/journal/cell';
import { rowSummary } from '../../views/journal/row-summary';
import { expectedAt, periodCodeAt } from '../../views/journal/grid';
import { journalSummaries } from './summaries';

/** The same fragments without a request: the realtime hub renders them once per language. */
export async function renderCellFragments(s: Queryable, view: Pick<ViewCtx, 'lang' | 'today'>, courseId: number, lessonId: number, studentId: number): Promise<string | null> {
  const d = await loadJournal(s, courseId, null, studentId);
  const lesson = d?.lessons.find((l) => l.id === lessonId);
  const student = d?.students[0];
  if (!d || !lesson || !student) return null;
  const summaries = journalSummaries(d, view.today, [student], await courseHasMarks(s, courseId));
  const present = await presentAt(s, lessonId);
  const groupIds = d.course.groups.map((g) => g.id);
  return html`<table><tbody><tr>${cell({
    lang: view.lang, lessonId, studentId, record: d.records.get(cellKey(lessonId, studentId)),
    expected: !lesson.cancelled && expectedAt(student, lesson, groupIds), passFail: d.course.scale.kind === 'pass_fail',
    passMin: d.course.scale.passMin, period: periodCodeAt(d, studentId, lesson.date),
  })}${rowSummary(view.lang, studentId, summaries.get(studentId)!)}</tr></tbody></table><span class="pc" id="pc-${lessonId}">${present}</span>`.value;
}

/** One student's row summary (rating, absences, admission) alone: pushed when the course's rules change. */
export async function renderRowSummaryFragment(s: Queryable, view: Pick<ViewCtx, 'lang' | 'today'>, courseId: number, studentId: number): Promise<string | null> {
  const d = await loadJournal(s, courseId, null, studentId);
  const student = d?.students[0];
  if (!d || !student) return null;
  const summaries = journalSummaries(d, view.today, [student], await courseHasMarks(s, courseId));
  return html`<table><tbody><tr>${rowSummary(view.lang, studentId, summaries.get(studentId)!)}</tr></tbody></table>`.value;
}
