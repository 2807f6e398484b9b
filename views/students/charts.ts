// Charts drawn on the server as SVG from numbers: no chart JavaScript, readable without scripts,
// small on a slow connection. Every piece of text goes through escapeHtml.
import { trusted, escapeHtml, type Html } from '../html';
import type { Lang } from '../../db/schema';
import { formatDayShort, formatNumber } from '../format';

const W = 640;
const H = 200;
const PAD = { l: 32, r: 12, t: 12, b: 28 };
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

export function ratingChart(series: { date: string; rating: number }[], o: { from: string; to: string; min: number; max: number; threshold: number | null; lang: Lang; label: string }): Html {
  const x0 = day(o.from);
  const span = Math.max(1, day(o.to) - x0);
  const x = (d: string) => PAD.l + ((day(d) - x0) / span) * (W - PAD.l - PAD.r);
  const y = (v: number) => PAD.t + (1 - (v - o.min) / (o.max - o.min)) * (H - PAD.t - PAD.b);
  const parts: string[] = [];
  for (let v = o.min; v <= o.max; v += Math.max(1, Math.round((o.max - o.min) / 5))) {
    parts.push(`<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e3e7ec"/><text x="${PAD.l - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#5b6470">${v}</text>`);
  }
  if (o.threshold !== null) parts.push(`<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(o.threshold).toFixed(1)}" y2="${y(o.threshold).toFixed(1)}" stroke="#b42318" stroke-dasharray="5 4"/>`);
  parts.push(`<text x="${PAD.l}" y="${H - 8}" font-size="11" fill="#5b6470">${escapeHtml(formatDayShort(o.from, o.lang))}</text><text x="${W - PAD.r}" y="${H - 8}" font-size="11" fill="#5b6470" text-anchor="end">${escapeHtml(formatDayShort(o.to, o.lang))}</text>`);
  if (series.length) {
    parts.push(`<polyline fill="none" stroke="#1f5fa8" stroke-width="2.5" points="${series.map((p) => `${x(p.date).toFixed(1)},${y(p.rating).toFixed(1)}`).join(' ')}"/>`);
    for (const p of series) parts.push(`<circle cx="${x(p.date).toFixed(1)}" cy="${y(p.rating).toFixed(1)}" r="3.5" fill="#1f5fa8"><title>${escapeHtml(`${formatDayShort(p.date, o.lang)}: ${formatNumber(p.rating, o.lang, 2)}`)}</title></circle>`);
  }
  return trusted(`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(o.label)}">${parts.join('')}</svg>`);
}

export type CalendarDay = { date: string; state: 'present' | 'late' | 'absent' | 'excused' | 'none' };
const COLORS = { present: '#1d7a3a', late: '#d69e00', absent: '#b42318', excused: '#7a8aa0', none: '#e3e7ec' } as const;

/** One square per lesson day, weeks across and weekdays down, coloured by attendance. */
export function attendanceCalendar(days: CalendarDay[], o: { lang: Lang; label: string; legend: Record<CalendarDay['state'], string> }): Html {
  if (days.length === 0) return trusted('');
  const first = day(days[0].date);
  const monday = first - ((new Date(first * 86_400_000).getUTCDay() + 6) % 7);
  const cell = 16;
  const gap = 3;
  const weeks = Math.floor((day(days[days.length - 1].date) - monday) / 7) + 1;
  const parts: string[] = [];
  for (const d of days) {
    const n = day(d.date) - monday;
    const col = Math.floor(n / 7);
    const row = n % 7;
    parts.push(`<rect x="${24 + col * (cell + gap)}" y="${row * (cell + gap)}" width="${cell}" height="${cell}" rx="3" fill="${COLORS[d.state]}"><title>${escapeHtml(`${formatDayShort(d.date, o.lang)}: ${o.legend[d.state]}`)}</title></rect>`);
  }
  const labels = o.lang === 'ru' ? ['пн', 'ср', 'пт'] : ['Mo', 'We', 'Fr'];
  labels.forEach((l, i) => parts.push(`<text x="0" y="${i * 2 * (cell + gap) + 12}" font-size="10" fill="#5b6470">${l}</text>`));
  const width = 24 + weeks * (cell + gap);
  const legendY = 7 * (cell + gap) + 14;
  (['present', 'late', 'absent', 'excused'] as const).forEach((k, i) => parts.push(`<rect x="${i * 110}" y="${legendY - 10}" width="10" height="10" fill="${COLORS[k]}"/><text x="${i * 110 + 14}" y="${legendY}" font-size="11" fill="#1b1f24">${escapeHtml(o.legend[k])}</text>`));
  return trusted(`<svg class="calendar" viewBox="0 0 ${Math.max(width, 440)} ${legendY + 6}" role="img" aria-label="${escapeHtml(o.label)}">${parts.join('')}</svg>`);
}
