import { html } from '../html';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { formatDay, formatDateTime } from '../format';
import type { NotificationRow } from '../../db/queries/notifications';
import { t } from './strings';
import { noticeText } from './text';
import { markWord } from '../scale-words';

export function notificationsPage(ctx: ViewCtx, rows: NotificationRow[]) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'title'),
    body: html`<h1>${t(lang, 'title')}</h1>
<form method="post" action="/notifications/read-all" class="inline-form">${csrfField(ctx)}<button type="submit">${t(lang, 'markAll')}</button> <a href="/account#notifications">${t(lang, 'settings')}</a></form>
${rows.length === 0 ? html`<p class="muted">${t(lang, 'none')}</p>` : html`<ul class="list-plain">${rows.map((r) => {
  const text = noticeText(lang, r.kind, r.payload);
  if (r.kind === 'mobility') {
    // A teacher's notice is about a course's journal; the student's about their own application.
    const href = r.courseId ? `/courses/${r.courseId}` : '/mobility';
    return html`<li class="tile${r.readAt ? '' : ' unread'}"><a href="${href}">${text}</a> <small class="muted">${formatDateTime(r.createdAt, lang, ctx.tz)}</small></li>`;
  }
  return html`<li class="tile${r.readAt ? '' : ' unread'}"><a href="/students/${r.studentId}/courses/${r.courseId}">${text}</a> <small class="muted">${formatDateTime(r.createdAt, lang, ctx.tz)}</small></li>`;
})}</ul>`}`,
  });
}
