import { html, type Html } from '../html';
import type { ViewCtx } from '../context';
import type { Statement, StatementSummary } from '../../db/queries/statements';
import type { Debt } from '../../db/queries/debts';
import { page, csrfField } from '../layout/page';
import { formTokenField } from '../layout/form-token';
import { formatDay, formatNumber } from '../format';
import { displayName } from '../names';
import { attemptLabel } from './statement';
import { deadlineBadge } from './debts';
import { t } from './strings';
import { t as tc } from './calendar-strings';
import type { SessionDate } from '../../db/queries/session-calendar';
import { plannedDayText, sessionDayBadge } from './session-calendar';

export type CourseStatementsView = {
  courseId: number; subject: string; statements: Statement[]; summaries: Map<number, StatementSummary>; groups: { id: number; name: string }[];
  /** Present for the dean's office: it opens statements. */
  open: { examiners: { id: number; surname: string; givenName: string; patronymic: string | null }[]; debts: Debt[]; passFail: boolean } | null;
  /** The session calendar's days of the course: listed, and the opening form takes its date from them when left empty. */
  sessionDates: SessionDate[];
  message?: string; error?: string;
};

export function courseStatementsPage(ctx: ViewCtx, v: CourseStatementsView): Html {
  const { lang } = ctx;
  const title = t(lang, 'statementsOf', { subject: v.subject });
  return page(ctx, {
    title,
    body: html`<p><a href="/courses/${v.courseId}">← ${t(lang, 'back')}</a></p><h1>${title}</h1>
${v.message ? html`<p class="ok-box" role="status">${v.message}</p>` : null}
${v.error ? html`<p class="error-box" role="alert">${v.error}</p>` : null}
${v.statements.length === 0 ? html`<p class="muted">${t(lang, 'noStatements')}</p>` : html`<div class="table-wrap"><table class="data" id="statement-list"><thead><tr>
<th scope="col">${t(lang, 'no')}</th><th scope="col">${t(lang, 'kind')}</th><th scope="col">${t(lang, 'group')}</th><th scope="col">${t(lang, 'date')}</th>
<th scope="col">${t(lang, 'attempt')}</th><th scope="col">${t(lang, 'examiners')}</th><th scope="col">${t(lang, 'status')}</th>
<th scope="col" class="num">${t(lang, 'passRate')}</th><th scope="col" class="num">${t(lang, 'average')}</th><th scope="col" class="num">${t(lang, 'noShows')}</th>
<th scope="col" class="num">${t(lang, 'openDebtsShort')}</th></tr></thead>
<tbody>${v.statements.map((s) => html`<tr id="st-${s.id}"><th scope="row"><a href="/statements/${s.id}">${s.number}</a></th><td>${t(lang, s.kind)}</td>
<td>${s.groupName ?? t(lang, 'individual')}</td><td>${formatDay(s.date, lang)}</td><td>${attemptLabel(lang, s.attempt)}</td>
<td>${s.examiners.map((e) => displayName(e, lang)).join(', ')}</td><td>${t(lang, `status.${s.status}` as const)}</td>${summaryCells(lang, v.summaries.get(s.id))}</tr>`)}</tbody></table></div>`}
<section class="card" id="course-session-dates"><h2><a href="/courses/${v.courseId}/session-dates">${tc(lang, 'sessionCalendar')}</a></h2>
${v.sessionDates.length === 0 ? html`<p class="muted">${tc(lang, 'noSessionDates')}</p>` : html`<ul class="list-plain">${v.sessionDates.map((d) => html`<li><b>${d.groupName}</b> · ${plannedDayText(lang, d)} ${sessionDayBadge(lang, ctx.today, d)}</li>`)}</ul>`}</section>
${v.open ? openForms(ctx, v, v.open) : null}`,
  });
}

function examinerSelects(lang: ViewCtx['lang'], list: NonNullable<CourseStatementsView['open']>['examiners'], count: number): Html[] {
  return Array.from({ length: count }, (_, i) => html`<label>${t(lang, 'examinerN', { n: i + 1 })}<select name="examiner${i + 1}"${i === 0 ? html` required` : null}>
${i > 0 ? html`<option value="">—</option>` : null}${list.map((e) => html`<option value="${e.id}">${displayName(e, lang)}</option>`)}</select></label>`);
}

function openForms(ctx: ViewCtx, v: CourseStatementsView, o: NonNullable<CourseStatementsView['open']>): Html {
  const { lang } = ctx;
  const kinds = o.passFail ? (['credit'] as const) : (['exam', 'credit'] as const);
  return html`<section class="card"><h2>${t(lang, 'openNew')}</h2>
<form method="post" action="/courses/${v.courseId}/statements" class="inline-form" id="open-statement">${csrfField(ctx)}${formTokenField()}
  <label>${t(lang, 'group')}<select name="groupId" required>${v.groups.map((g) => html`<option value="${g.id}">${g.name}</option>`)}</select></label>
  <label>${t(lang, 'kind')}<select name="kind">${kinds.map((k) => html`<option value="${k}">${t(lang, k)}</option>`)}</select></label>
  ${v.sessionDates.length > 0
    ? html`<label>${t(lang, 'date')}<input type="date" name="date" value="" aria-describedby="date-from-calendar"></label><small class="muted" id="date-from-calendar">${tc(lang, 'dateFromCalendar')}</small>`
    : html`<label>${t(lang, 'date')}<input type="date" name="date" required value="${ctx.today}"></label>`}
  ${examinerSelects(lang, o.examiners, 1)}
  <button type="submit" class="primary">${t(lang, 'openButton')}</button></form></section>
<section class="card"><h2>${t(lang, 'openRetake')}</h2>
${o.debts.length === 0 ? html`<p class="muted">${t(lang, 'noDebtors')}</p>` : html`<form method="post" action="/courses/${v.courseId}/retakes" class="stack" id="open-retake">
${csrfField(ctx)}${formTokenField()}
  <fieldset><legend>${t(lang, 'debtors')}</legend>${o.debts.map((d) => html`<label><input type="checkbox" name="studentId" value="${d.studentId}">
  ${displayName(d, lang)} (${d.groupName ?? '—'}) · ${t(lang, 'statementNo')} ${d.number} · ${t(lang, 'deadline')}: ${formatDay(d.deadline, lang)} ${deadlineBadge(lang, ctx.today, d.deadline)}</label>`)}</fieldset>
  <label>${t(lang, 'kind')}<select name="kind">${kinds.map((k) => html`<option value="${k}">${t(lang, k)}</option>`)}</select></label>
  <label>${t(lang, 'date')}<input type="date" name="date" required value="${ctx.today}"></label>
  <p class="muted">${t(lang, 'statement.commissionOfThree')}</p>
  <div class="inline-form">${examinerSelects(lang, o.examiners, 3)}</div>
  <p><button type="submit" class="primary">${t(lang, 'openButton')}</button></p></form>`}</section>`;
}

/** The session report's figures of one statement: pass rate, average mark, no-shows, open debts. */
function summaryCells(lang: ViewCtx['lang'], x: StatementSummary | undefined): Html {
  if (!x || x.total === 0) return html`<td></td><td></td><td></td><td></td>`;
  return html`<td class="num">${formatNumber((100 * x.passed) / x.total, lang, 0)} %</td><td class="num">${x.average === null ? '—' : formatNumber(x.average, lang, 1)}</td>
<td class="num">${x.noShows}</td><td class="num">${x.debts}</td>`;
}
