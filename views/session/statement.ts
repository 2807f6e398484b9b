import { html, type Html } from '../html';
import type { ViewCtx } from '../context';
import type { Lang, ResultOutcome } from '../../db/schema';
import type { Statement, StatementCorrection } from '../../db/queries/statements';
import type { RosterRow } from '../../server/session/roster';
import { page, csrfField } from '../layout/page';
import { formTokenField } from '../layout/form-token';
import { formatDay, formatDateTime, formatNumber } from '../format';
import { displayName, statementName } from '../names';
import { t } from './strings';

/** The result as the examiner types it back: the mark, or the short code ("н/у", "з"). */
export function resultCode(lang: Lang, outcome: ResultOutcome | null, mark: number | null): string {
  if (outcome === null) return '';
  return outcome === 'mark' ? String(mark ?? '') : t(lang, `code.${outcome}` as const);
}

/** The result in words, as the printed document says it. */
export function resultWords(lang: Lang, outcome: ResultOutcome | null, mark: number | null): string {
  if (outcome === null) return '';
  return outcome === 'mark' ? String(mark ?? '') : t(lang, `o.${outcome}` as const);
}

export function attemptLabel(lang: Lang, attempt: number): string {
  return attempt <= 1 ? t(lang, 'sessionAttempt') : t(lang, 'retakeN', { n: attempt - 1 });
}

export type StatementView = {
  st: Statement; rows: RosterRow[]; facultyName: string; editable: boolean; dean: boolean; examiner: boolean;
  corrections: StatementCorrection[]; message?: string; error?: string; journalHref: string | null;
};

/** One student's row: the page's, and the answer to a saved result (public/statement.js swaps it by id). */
export function statementRow(lang: Lang, r: RosterRow, i: number, editable: boolean, error?: string): Html {
  const name = displayName(r, lang);
  const cell = editable
    ? html`<input class="sr-input" type="text" name="r${r.studentId}" value="${resultCode(lang, r.outcome, r.mark)}" size="5" maxlength="20" autocomplete="off"
        aria-label="${t(lang, 'result')}: ${name}" data-s="${r.studentId}"><input type="hidden" name="v${r.studentId}" value="${r.version}">`
    : resultWords(lang, r.outcome, r.mark);
  return html`<tr id="sr-${r.studentId}"${error ? html` class="sr-error"` : null}><td>${i + 1}</td><td class="nm">${statementName(r)}</td><td>${r.recordBook ?? ''}</td>
<td class="num">${r.rating === null ? '' : formatNumber(r.rating, lang)}</td><td>${t(lang, r.admitted ? 'admitted' : 'notAdmitted')}</td>
<td class="sr-cell">${cell}${error ? html`<span class="error-box" role="alert">${error}</span>` : null}</td><td class="num">${r.finalMark ?? ''}</td><td></td></tr>`;
}

export function statementPage(ctx: ViewCtx, v: StatementView): Html {
  const { lang } = ctx;
  const { st } = v;
  const title = `${t(lang, st.kind === 'exam' ? 'examStatement' : 'creditStatement')} ${t(lang, 'no')} ${st.number}`;
  const commission = st.examiners.length > 1;
  return page(ctx, {
    title,
    scripts: v.editable ? ['/public/statement.js'] : [],
    body: html`<article class="statement" id="statement-${st.id}" data-status="${st.status}">
<p class="no-print">${v.journalHref ? html`<a href="${v.journalHref}">← ${t(lang, 'back')}</a> · ` : null}<a href="/courses/${st.courseId}/statements">${t(lang, 'statements')}</a>
 · <span class="muted">${t(lang, 'printHint')}</span></p>
${v.message ? html`<p class="ok-box no-print" role="status">${v.message}</p>` : null}
${v.error ? html`<p class="error-box no-print" role="alert" id="statement-error">${v.error}</p>` : null}
<header><p>${v.facultyName}</p><h1>${title}</h1>
<p>${t(lang, 'subject')}: <b>${lang === 'ru' ? st.subjectRu : st.subjectEn}</b> · ${lang === 'ru' ? st.termNameRu : st.termNameEn}
 · ${t(lang, 'group')}: <b>${st.groupName ?? t(lang, 'individual')}</b></p>
<p>${t(lang, 'date')}: ${formatDay(st.date, lang)} · ${t(lang, 'attempt')}: ${attemptLabel(lang, st.attempt)}
 · ${t(lang, commission ? 'commission' : 'examiner')}: ${st.examiners.map((e, i) => `${displayName(e, lang)}${commission && i === 0 ? ` (${t(lang, 'chair')})` : ''}`).join(', ') || '—'}</p>
<p class="no-print">${t(lang, 'status')}: <span class="badge${st.status === 'open' ? '' : ' ok'}" id="statement-status">${t(lang, `status.${st.status}` as const)}</span></p></header>
${v.editable ? html`<p class="muted no-print">${t(lang, 'legend')}</p>` : null}
<form method="post" action="/statements/${st.id}/results" id="statement-form">${csrfField(ctx)}
<table class="data statement-table" id="statement-table"><thead><tr><th scope="col">№</th><th scope="col">${t(lang, 'student')}</th><th scope="col">${t(lang, 'recordBook')}</th>
<th scope="col">${t(lang, 'rating')}</th><th scope="col">${t(lang, 'admission')}</th><th scope="col">${t(lang, 'result')}</th><th scope="col">${t(lang, 'finalMark')}</th>
<th scope="col">${t(lang, 'signature')}</th></tr></thead>
<tbody>${v.rows.map((r, i) => statementRow(lang, r, i, v.editable))}</tbody></table>
${v.editable ? html`<p class="no-print"><button type="submit">${t(lang, 'save')}</button> <span id="statement-save" class="save-state" aria-live="polite"></span></p>` : null}
</form>
${v.editable ? html`<form method="post" action="/statements/${st.id}/close" class="no-print" id="statement-close">${csrfField(ctx)}${formTokenField()}
  <input type="hidden" name="version" value="${st.version}"><button type="submit" class="primary">${t(lang, 'close')}</button></form>` : null}
${v.dean && st.status === 'closed' ? html`<form method="post" action="/statements/${st.id}/countersign" class="no-print" id="statement-countersign">${csrfField(ctx)}${formTokenField()}
  <input type="hidden" name="version" value="${st.version}"><button type="submit" class="primary">${t(lang, 'countersign')}</button></form>` : null}
<footer class="signatures">${st.examiners.map((e, i) => html`<p>${commission ? t(lang, 'examinerN', { n: i + 1 }) : t(lang, 'examiner')}: ____________ ${displayName(e, lang)}
${i === 0 && st.closedAt ? html` <small>${t(lang, 'signedOn', { when: formatDateTime(st.closedAt, lang, ctx.tz) })}</small>` : null}</p>`)}
<p>${t(lang, 'deanSignature')}: ____________ ${st.countersignedAt ? html`<small>${t(lang, 'signedOn', { when: formatDateTime(st.countersignedAt, lang, ctx.tz) })}</small>` : null}</p></footer>
${corrections(ctx, v)}
</article>`,
  });
}

function corrections(ctx: ViewCtx, v: StatementView): Html | null {
  const { lang } = ctx;
  const { st } = v;
  const asking = v.examiner && st.status !== 'open';
  if (!asking && v.corrections.length === 0) return null;
  return html`<section class="card no-print" id="statement-corrections"><h2>${t(lang, 'corrections')}</h2>
${v.corrections.length ? html`<ul class="list-plain">${v.corrections.map((c) => html`<li class="tile" id="scorr-${c.id}"><b>${displayName(c, lang)}</b> → <b>${c.newValue || '∅'}</b>
 · ${c.reason} <small class="muted">${t(lang, 'requestedBy', { name: `${c.requesterSurname} ${c.requesterGiven}` })}</small> · <span class="badge">${t(lang, `corr.${c.status}` as const)}</span>
${v.dean && c.status === 'pending' ? html`<form method="post" action="/statement-corrections/${c.id}" class="inline-form">${csrfField(ctx)}${formTokenField()}
  <input type="text" name="note" required minlength="3" maxlength="300" placeholder="${t(lang, 'note')}" aria-label="${t(lang, 'note')}">
  <button type="submit" name="decision" value="approve" class="primary">${t(lang, 'approve')}</button>
  <button type="submit" name="decision" value="reject">${t(lang, 'reject')}</button></form>` : null}</li>`)}</ul>` : null}
${asking ? html`<form method="post" action="/statements/${st.id}/corrections" class="inline-form" id="statement-correction-form">${csrfField(ctx)}${formTokenField()}
  <label>${t(lang, 'student')}<select name="studentId" required>${v.rows.map((r) => html`<option value="${r.studentId}">${displayName(r, lang)}</option>`)}</select></label>
  <label>${t(lang, 'newValue')}<input type="text" name="newValue" required maxlength="20" size="6"></label>
  <label>${t(lang, 'reason')}<input type="text" name="reason" required minlength="3" maxlength="500"></label>
  <button type="submit">${t(lang, 'requestCorrection')}</button></form>` : null}
</section>`;
}
