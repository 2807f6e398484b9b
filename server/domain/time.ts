// Time rules (pure): the university's calendar day of an instant, and the instant of a wall-clock
// time on a date in a zone. views/format.ts re-exports them for the templates.

// Intl formatters are costly to build and cheap to reuse: one per (zone, style).
const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(tz: string, opts: Intl.DateTimeFormatOptions, key: string): Intl.DateTimeFormat {
  const k = `${tz}|${key}`;
  let f = cache.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, ...opts });
    cache.set(k, f);
  }
  return f;
}

/** The calendar date of an instant in a zone, as YYYY-MM-DD. */
export function dateInZone(ms: number, tz: string): string {
  const parts: Record<string, string> = {};
  for (const p of fmt(tz, { year: 'numeric', month: '2-digit', day: '2-digit' }, 'iso').formatToParts(ms)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The instant of a wall-clock time on a date in a zone (e.g. 09:45 in Minsk), as epoch ms. */
export function instantOf(date: string, time: string, tz: string): number {
  const guess = Date.parse(`${date}T${time}:00Z`);
  const parts: Record<string, string> = {};
  for (const p of fmt(tz, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, 'wall').formatToParts(guess)) parts[p.type] = p.value;
  const wall = Date.parse(`${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:00Z`);
  return guess - (wall - guess);
}

/** The wall-clock hour (0–23) of an instant in a zone. */
export function hourInZone(ms: number, tz: string): number {
  const h = fmt(tz, { hour: '2-digit', hourCycle: 'h23' }, 'hour').formatToParts(ms).find((p) => p.type === 'hour');
  return Number(h?.value ?? 0);
}

/** Which greeting fits the viewer's local hour: nobody is wished a good day at four in the morning. */
export function partOfDay(hour: number): 'morning' | 'afternoon' | 'evening' | 'night' {
  if (hour >= 5 && hour < 12) return 'morning';
  if (hour >= 12 && hour < 18) return 'afternoon';
  if (hour >= 18 && hour < 23) return 'evening';
  return 'night';
}
