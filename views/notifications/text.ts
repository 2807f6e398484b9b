// One notification as a line of text: the notifications page and the e-mail say it in the same words.
import type { Lang } from '../../db/schema';
import { formatDay } from '../format';
import { markWord } from '../scale-words';
import { t } from './strings';

export type NoticePayload = {
  date?: string; subjectRu?: string; subjectEn?: string; value?: number; scaleKind?: string; admitted?: boolean; decision?: string;
  partnerRu?: string; partnerEn?: string; to?: string; student?: string;
};

export function noticeText(lang: Lang, kind: string, payload: string): string {
  const p = JSON.parse(payload) as NoticePayload;
  const subject = (lang === 'ru' ? p.subjectRu : p.subjectEn) ?? '';
  const date = p.date ? formatDay(p.date, lang) : '';
  if (kind === 'mobility') {
    return t(lang, `mobility_${p.decision}` as 'mobility_selected', {
      partner: (lang === 'ru' ? p.partnerRu : p.partnerEn) ?? '', date, to: p.to ? formatDay(p.to, lang) : '', student: p.student ?? '', subject,
    });
  }
  const key = kind === 'mark' ? 'mark' : kind === 'admission' ? (p.admitted ? 'admitted' : 'notAdmitted')
    : kind === 'dispute' ? (p.decision === 'accepted' ? 'disputeAccepted' : 'disputeRejected') : 'absence';
  return t(lang, key, { subject, date, value: p.value === undefined ? '' : markWord(lang, p.scaleKind, p.value) });
}
