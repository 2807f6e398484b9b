// Charts drawn on the server as SVG from numbers: no chart JavaScript, readable without scripts,
// small on a slow connection. Every piece of text goes through escapeHtml.
import { trusted, escapeHtml, type Html } from '../html';
import type { Lang } from '../../db/schema';
import { formatDayShort, formatMonthShort, formatNumber } from '../format';

const W = 640;
const H = 200;
const PAD = { l: 32, r: 12, t: 12, b: 28 };
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

const iso = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

/** The first day of each month from `from` to `to` (inclusive), as day numbers. */
function monthStarts(from: number, to: number): number[] {
  const out: number[] = [];
  const d = new Date(from * 86_400_000);
  let m = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 86_400_000;
  while (m <= to) {
    out.push(m);
    const n = new Date(m * 86_400_000);
    m = Date.UTC(n.getUTCFullYear(), n.getUTCMonth() + 1, 1) / 86_400_000;
  }
  return out;
}

export function ratingChart(series: { date: string; rating: number }[], o: { from: string; to: string; min: number; max: number; threshold: number | null; lang: Lang; label: string; thresholdLabel?: string }): Html {
  const x0 = day(o.from);
  const span = Math.max(1, day(o.to) - x0);
  const x = (d: string) => PAD.l + ((day(d) - x0) / span) * (W - PAD.l - PAD.r);
  const y = (v: number) => PAD.t + (1 - (v - o.min) / (o.max - o.min)) * (H - PAD.t - PAD.b);
  const parts: string[] = [];
  for (let v = o.min; v <= o.max; v += Math.max(1, Math.round((o.max - o.min) / 5))) {
    parts.push(`<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e3e7ec"/><text x="${PAD.l - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#5b6470">${v}</text>`);
  }
  if (o.threshold !== null) {
    // The pass line says what it is, at its right end, above the line.
    const ty = y(o.threshold);
    parts.push(`<line class="pass-line" x1="${PAD.l}" x2="${W - PAD.r}" y1="${ty.toFixed(1)}" y2="${ty.toFixed(1)}" stroke="#b42318" stroke-dasharray="5 4"/>`);
    if (o.thresholdLabel) parts.push(`<text class="pass-label" x="${W - PAD.r}" y="${(ty - 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#b42318">${escapeHtml(o.thresholdLabel)}</text>`);
  }
  // One row of x labels: the first day, then each month as it starts (a month too close to the first day is left out).
  const xs = [{ at: x0, text: formatDayShort(o.from, o.lang) }];
  for (const m of monthStarts(x0, day(o.to))) xs.push({ at: m, text: formatMonthShort(iso(m), o.lang) });
  let lastX = -Infinity;
  for (const l of xs) {
    const px = PAD.l + ((l.at - x0) / span) * (W - PAD.l - PAD.r);
    if (px - lastX < 48) continue;
    lastX = px;
    parts.push(`<text class="x-label" x="${px.toFixed(1)}" y="${H - 8}" font-size="11" fill="#5b6470">${escapeHtml(l.text)}</text>`);
  }
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
  const cell = 18;
  const gap = 3;
  const top = 16; // a row of month names above the weeks
  const weeks = Math.floor((day(days[days.length - 1].date) - monday) / 7) + 1;
  const parts: string[] = [];
  for (const d of days) {
    const n = day(d.date) - monday;
    const col = Math.floor(n / 7);
    const row = n % 7;
    const cx = 24 + col * (cell + gap);
    const cy = top + row * (cell + gap);
    const ink = d.state === 'present' || d.state === 'absent' ? '#fff' : '#1b1f24';
    parts.push(`<g><title>${escapeHtml(`${formatDayShort(d.date, o.lang)}: ${o.legend[d.state]}`)}</title><rect x="${cx}" y="${cy}" width="${cell}" height="${cell}" rx="3" fill="${COLORS[d.state]}"/>`
      + `<text class="day" x="${cx + cell / 2}" y="${cy + 13}" text-anchor="middle" font-size="10" fill="${ink}">${Number(d.date.slice(8))}</text></g>`);
  }
  // A month's name over the first week that holds one of its days, and over the first week shown.
  // (a month that starts in the week after the first one shown takes that place: two names never overlap).
  let shown = '';
  let lastX = -Infinity;
  for (let col = 0; col < weeks; col++) {
    const inWeek = days.filter((d) => Math.floor((day(d.date) - monday) / 7) === col);
    const d = inWeek[inWeek.length - 1];
    if (!d || d.date.slice(0, 7) === shown) continue;
    const px = 24 + col * (cell + gap);
    if (px - lastX < 40) parts.pop();
    shown = d.date.slice(0, 7);
    lastX = px;
    parts.push(`<text class="month" x="${px}" y="11" font-size="11" fill="#5b6470">${escapeHtml(formatMonthShort(d.date, o.lang))}</text>`);
  }
  const labels = o.lang === 'ru' ? ['пн', 'ср', 'пт'] : ['Mo', 'We', 'Fr'];
  labels.forEach((l, i) => parts.push(`<text x="0" y="${top + i * 2 * (cell + gap) + 13}" font-size="10" fill="#5b6470">${l}</text>`));
  const width = 24 + weeks * (cell + gap);
  const legendY = top + 7 * (cell + gap) + 14;
  (['present', 'late', 'absent', 'excused'] as const).forEach((k, i) => parts.push(`<rect x="${i * 110}" y="${legendY - 10}" width="10" height="10" fill="${COLORS[k]}"/><text x="${i * 110 + 14}" y="${legendY}" font-size="11" fill="#1b1f24">${escapeHtml(o.legend[k])}</text>`));
  return trusted(`<svg class="calendar" viewBox="0 0 ${Math.max(width, 440)} ${legendY + 6}" role="img" aria-label="${escapeHtml(o.label)}">${parts.join('')}</svg>`);
}
