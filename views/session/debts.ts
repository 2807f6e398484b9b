import { html, type Html } from '../html';
import type { ViewCtx } from '../context';
import type { Lang } from '../../db/schema';
import type { Debt } from '../../db/queries/debts';
import { page, csrfField } from '../layout/page';
import { formTokenField } from '../layout/form-token';
import { formatDay } from '../format';
import { displayName } from '../names';
import { daysUntil } from '../../server/domain/session';
import { t } from './strings';

/** Days left before a deadline, or how long it is overdue (marked). */
export function deadlineBadge(lang: Lang, today: string, deadline: string): Html {
  const n = daysUntil(today, deadline);
  if (n < 0) return html`<span class="badge bad overdue">${t(lang, 'overdue', { n: -n })}</span>`;
  if (n === 0) return html`<span class="badge warn">${t(lang, 'dueToday')}</span>`;
  return html`<span class="badge">${t(lang, 'daysLeft', { n })}</span>`;
}

/** A student's open debts (their page and a full-scope guardian's). */
export function debtsSection(ctx: ViewCtx, studentId: number, debts: Debt[]): Html {
  const { lang } = ctx;
  return html`<section class="card" id="debts-${studentId}"><h2>${t(lang, 'openDebts')}</h2>
${debts.length === 0 ? html`<p class="muted">${t(lang, 'noDebts')}</p>` : html`<ul class="list-plain">${debts.map((d) => html`<li id="debt-${d.id}">
<b>${lang === 'ru' ? d.subjectRu : d.subjectEn}</b> · ${lang === 'ru' ? d.termNameRu : d.termNameEn} · ${t(lang, 'deadline')}: ${formatDay(d.deadline, lang)} ${deadlineBadge(lang, ctx.today, d.deadline)}</li>`)}</ul>`}
</section>`;
}

export type DebtorsView = { debts: Debt[]; groups: { id: number; name: string }[]; groupId: number | null; message?: string; error?: string };

/** The dean's office's debtors: per group, overdue ones marked; the deadline set inline. */
export function debtorsPage(ctx: ViewCtx, v: DebtorsView): Html {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'debtorsList'),
    body: html`<h1>${t(lang, 'debtorsList')} <small class="muted">(${v.debts.length})</small></h1>
${v.message ? html`<p class="ok-box" role="status">${v.message}</p>` : null}
${v.error ? html`<p class="error-box" role="alert">${v.error}</p>` : null}
<form method="get" action="/debts" class="inline-form"><label>${t(lang, 'group')}<select name="group"><option value="">${t(lang, 'allGroups')}</option>
${v.groups.map((g) => html`<option value="${g.id}"${g.id === v.groupId ? html` selected` : null}>${g.name}</option>`)}</select></label><button type="submit">${t(lang, 'show')}</button></form>
${v.debts.length === 0 ? html`<p class="muted">${t(lang, 'noDebts')}</p>` : html`<div class="table-wrap"><table class="data" id="debtors"><thead><tr>
<th scope="col">${t(lang, 'group')}</th><th scope="col">${t(lang, 'student')}</th><th scope="col">${t(lang, 'course')}</th><th scope="col">${t(lang, 'statementNo')}</th>
<th scope="col">${t(lang, 'deadline')}</th></tr></thead>
<tbody>${v.debts.map((d) => html`<tr id="debtor-${d.id}"${d.deadline < ctx.today ? html` class="overdue"` : null}><td>${d.groupName ?? ''}</td>
<td><a href="/students/${d.studentId}/record-book">${displayName(d, lang)}</a></td><td><a href="/courses/${d.courseId}/statements">${lang === 'ru' ? d.subjectRu : d.subjectEn}</a>
 <small>${lang === 'ru' ? d.termNameRu : d.termNameEn}</small></td><td><a href="/statements/${d.statementId}">${d.number}</a></td>
<td>${deadlineBadge(lang, ctx.today, d.deadline)}<form method="post" action="/debts/${d.id}" class="inline-form">${csrfField(ctx)}${formTokenField()}
<input type="hidden" name="version" value="${d.version}"><input type="date" name="deadline" required value="${d.deadline}" aria-label="${t(lang, 'deadline')}: ${displayName(d, lang)}">
<button type="submit">${t(lang, 'setDeadline')}</button></form></td></tr>`)}</tbody></table></div>`}`,
  });
}

/** On the student's page (their own, a full-scope guardian's, the dean's): open debts and the record book's link. */
export function studentSessionSection(ctx: ViewCtx, studentId: number, debts: Debt[]): Html {
  return html`${debtsSection(ctx, studentId, debts)}<p><a href="/students/${studentId}/record-book" id="record-book-link">${t(ctx.lang, 'recordBookTitle')}</a></p>`;
}
