// E-mail messages (issue 15): a plain-text part and a light HTML part (no images, one column, readable on a
// phone), in the recipient's language. Items are the notifications' own words (views/notifications).
import { html, type Html } from '../html';
import type { Lang } from '../../db/schema';
import { formatDay } from '../format';
import { markWord } from '../scale-words';
import { noticeText } from '../notifications/text';
import { t } from './strings';

export type MailMessage = { subject: string; text: string; html: string };

export type MailItem = { kind: string; payload: string; studentId: number | null; courseId: number | null };
/** Whose record a group of items is about: a guardian's child by name, null for the reader's own. */
export type ChildGroup = { child: string | null; courses: { subject: string; lines: string[] }[] };

type Payload = { date?: string; subjectRu?: string; subjectEn?: string; value?: number; scaleKind?: string; admitted?: boolean; decision?: string };

export const subjectOf = (lang: Lang, item: MailItem): string => {
  const p = JSON.parse(item.payload) as Payload;
  return (lang === 'ru' ? p.subjectRu : p.subjectEn) ?? '';
};

/** One notification as a line of text, as the notifications page writes it. */
export function itemLine(lang: Lang, item: MailItem): string {
  return noticeText(lang, item.kind, item.payload);
}

export type Links = { site: string; settings: string; unsubscribe: string; kinds: string[] };

function footer(lang: Lang, l: Links): { text: string; html: Html } {
  const kinds = l.kinds.map((k) => t(lang, `kind_${k}` as 'kind_mark')).join(', ');
  return {
    text: `\n-- \n${t(lang, 'why', { settings: l.settings })}\n${t(lang, 'unsubscribe', { kinds, url: l.unsubscribe })}\n`,
    html: html`<hr style="border:0;border-top:1px solid #ccc;margin:24px 0 8px">
<p style="font-size:13px;color:#555">${t(lang, 'why', { settings: '' })}<a href="${l.settings}">${l.settings}</a></p>
<p style="font-size:13px"><a href="${l.unsubscribe}">${t(lang, 'unsubscribeLink')}</a> (${kinds})</p>`,
  };
}

function frame(lang: Lang, title: string, body: Html): string {
  return html`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title></head><body style="margin:0;padding:16px;font:16px/1.5 system-ui,sans-serif;color:#111;max-width:36em">
${body}</body></html>`.value;
}

/** A single notification, sent at once. */
export function noticeMail(lang: Lang, item: MailItem, child: string | null, l: Links): MailMessage {
  const line = itemLine(lang, item);
  const f = footer(lang, l);
  const subject = child ? t(lang, 'noticeSubjectChild', { child, text: line }) : t(lang, 'noticeSubject', { text: line });
  return {
    subject,
    text: `${child ? `${child}\n` : ''}${line}\n\n${t(lang, 'openSite')}: ${l.site}\n${f.text}`,
    html: frame(lang, subject, html`${child ? html`<p><strong>${child}</strong></p>` : null}<p>${line}</p>
<p><a href="${l.site}">${t(lang, 'openSite')}</a></p>${f.html}`),
  };
}

/** A digest: what is new, grouped by child, then course. */
export function digestMail(lang: Lang, cadence: 'daily' | 'weekly', groups: ChildGroup[], l: Links): MailMessage {
  const subject = t(lang, `digestSubject_${cadence}`);
  const f = footer(lang, l);
  const text = groups.map((g) => `${g.child ?? t(lang, 'yourself')}\n${g.courses.map((c) => `  ${c.subject}\n${c.lines.map((x) => `    - ${x}`).join('\n')}`).join('\n')}`).join('\n\n');
  return {
    subject,
    text: `${t(lang, `digestIntro_${cadence}`)}\n\n${text}\n\n${t(lang, 'openSite')}: ${l.site}\n${f.text}`,
    html: frame(lang, subject, html`<p>${t(lang, `digestIntro_${cadence}`)}</p>
${groups.map((g) => html`<h2 style="font-size:18px;margin:20px 0 4px">${g.child ?? t(lang, 'yourself')}</h2>
${g.courses.map((c) => html`<h3 style="font-size:16px;margin:12px 0 2px">${c.subject}</h3><ul style="margin:0;padding-left:20px">${c.lines.map((x) => html`<li>${x}</li>`)}</ul>`)}`)}
<p><a href="${l.site}">${t(lang, 'openSite')}</a></p>${f.html}`),
  };
}

export function confirmMail(lang: Lang, confirmUrl: string): MailMessage {
  const subject = t(lang, 'confirmSubject');
  return {
    subject,
    text: `${t(lang, 'confirmBody')}\n\n${t(lang, 'confirmAction')}: ${confirmUrl}\n\n${t(lang, 'confirmIgnore')}\n`,
    html: frame(lang, subject, html`<p>${t(lang, 'confirmBody')}</p><p><a href="${confirmUrl}">${t(lang, 'confirmAction')}</a></p>
<p style="font-size:13px;color:#555">${t(lang, 'confirmIgnore')}</p>`),
  };
}

export function testMail(lang: Lang, site: string): MailMessage {
  const subject = t(lang, 'testSubject');
  return { subject, text: `${t(lang, 'testBody', { site })}\n`, html: frame(lang, subject, html`<p>${t(lang, 'testBody', { site })}</p>`) };
}
