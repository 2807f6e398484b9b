import { html } from '../html';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { formatDay, formatDateTime } from '../format';
import type { NotificationRow } from '../../db/queries/notifications';
import { t } from './strings';
import { markWord } from '../scale-words';

export function notificationsPage(ctx: ViewCtx, rows: NotificationRow[]) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'title'),
    body: html`<h1>${t(lang, 'title')}</h1>
<form method="post" action="/notifications/read-all" class="inline-form">${csrfField(ctx)}<button type="submit">${t(lang, 'markAll')}</button> <a href="/account#notifications">${t(lang, 'settings')}</a></form>
${rows.length === 0 ? html`<p class="muted">${t(lang, 'none')}</p>` : html`<ul class="list-plain">${rows.map((r) => {
  const p = JSON.parse(r.payload) as { date?: string; subjectRu: string; subjectEn: string; value?: number; scaleKind?: string; admitted?: boolean; decision?: string; partnerRu?: string; partnerEn?: string };
  if (r.kind === 'mobility') {
    const q = p as typeof p & { to?: string; student?: string };
    const text = t(lang, `mobility_${p.decision}` as 'mobility_selected', {
      partner: (lang === 'ru' ? p.partnerRu : p.partnerEn) ?? '', date: p.date ? formatDay(p.date, lang) : '', to: q.to ? formatDay(q.to, lang) : '',
      student: q.student ?? '', subject: (lang === 'ru' ? p.subjectRu : p.subjectEn) ?? '',
    });
    // A teacher's notice is about a course's journal; the student's about their own application.
    const href = r.courseId ? `/courses/${r.courseId}` : '/mobility';
    return html`<li class="tile${r.readAt ? '' : ' unread'}"><a href="${href}">${text}</a> <small class="muted">${formatDateTime(r.createdAt, lang, ctx.tz)}</small></li>`;
  }
  const key = r.kind === 'mark' ? 'mark' : r.kind === 'admission' ? (p.admitted ? 'admitted' : 'notAdmitted') : r.kind === 'dispute' ? (p.decision === 'accepted' ? 'disputeAccepted' : 'disputeRejected') : 'absence';
  const text = t(lang, key, { subject: lang === 'ru' ? p.subjectRu : p.subjectEn, date: p.date ? formatDay(p.date, lang) : '', value: p.value === undefined ? '' : markWord(lang, p.scaleKind, p.value) });
  return html`<li class="tile${r.readAt ? '' : ' unread'}"><a href="/students/${r.studentId}/courses/${r.courseId}">${text}</a> <small class="muted">${formatDateTime(r.createdAt, lang, ctx.tz)}</small></li>`;
})}</ul>`}`,
  });
}
