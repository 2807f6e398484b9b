import type { Lang } from '../db/schema';
import { numberFormat } from './i18n/plural';

// The time rules live in the domain (pure); templates keep importing them from here.
export { dateInZone, instantOf } from '../server/domain/time';

// Intl formatters are costly to build and cheap to reuse: one per (lang, zone, style).
const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(lang: Lang, tz: string, opts: Intl.DateTimeFormatOptions, key: string): Intl.DateTimeFormat {
  const k = `${lang}|${tz}|${key}`;
  let f = cache.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { timeZone: tz, ...opts });
    cache.set(k, f);
  }
  return f;
}

/** A calendar date (YYYY-MM-DD) needs no zone; it is the same day everywhere. */
export function formatDay(date: string, lang: Lang): string {
  const [y, m, d] = date.split('-').map(Number);
  return fmt(lang, 'UTC', { day: 'numeric', month: 'short', year: 'numeric' }, 'day').format(Date.UTC(y, m - 1, d));
}

export function formatDayShort(date: string, lang: Lang): string {
  const [y, m, d] = date.split('-').map(Number);
  return fmt(lang, 'UTC', { day: '2-digit', month: '2-digit' }, 'dm').format(Date.UTC(y, m - 1, d));
}

/** "окт." / "Oct" for a calendar's or a chart's month labels. */
export function formatMonthShort(date: string, lang: Lang): string {
  const [y, m] = date.split('-').map(Number);
  return fmt(lang, 'UTC', { month: 'short' }, 'mon').format(Date.UTC(y, m - 1, 1));
}

export function formatWeekday(date: string, lang: Lang): string {
  const [y, m, d] = date.split('-').map(Number);
  return fmt(lang, 'UTC', { weekday: 'short' }, 'wd').format(Date.UTC(y, m - 1, d));
}

export function formatDateTime(ms: number, lang: Lang, tz: string): string {
  return fmt(lang, tz, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }, 'dt').format(ms);
}

export function formatTime(ms: number, lang: Lang, tz: string): string {
  return fmt(lang, tz, { hour: '2-digit', minute: '2-digit' }, 't').format(ms);
}

/**
 * "Try again at {time} (in {minutes} min)" for a throttled attempt: rounded up to the whole minute, so that
 * trying at the stated time always works.
 */
export function retryWhen(at: number, now: number, lang: Lang, tz: string): { time: string; minutes: number } {
  const minute = Math.ceil(at / 60_000) * 60_000;
  return { time: formatTime(minute, lang, tz), minutes: Math.max(1, Math.round((minute - now) / 60_000)) };
}

export function formatNumber(n: number | null, lang: Lang, digits = 1): string {
  if (n === null || Number.isNaN(n)) return '—';
  return numberFormat(lang, digits).format(n);
}
