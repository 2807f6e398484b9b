// When digests go (pure): each recipient's window closes at their own local hour, in their own zone, so a
// parent in Delhi and one in New York both get theirs at 19:00 on their clocks.
import { dateInZone, instantOf } from './time';

const DAY = 86_400_000;

const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** Day before a YYYY-MM-DD date (calendar arithmetic at noon UTC: no zone shifts a date by a day there). */
const dayBefore = (date: string) => new Date(Date.parse(`${date}T12:00:00Z`) - DAY).toISOString().slice(0, 10);

/** The most recent instant, at or before `now`, when the local clock in `tz` read `hour`:00. */
export function lastDailySlot(now: number, tz: string, hour: number): number {
  let date = dateInZone(now, tz);
  for (let i = 0; i < 3; i++) {
    const slot = instantOf(date, hh(hour), tz);
    if (slot <= now) return slot;
    date = dayBefore(date);
  }
  return instantOf(date, hh(hour), tz);
}

/** The same on the last local Sunday: weekly digests round the week off. */
export function lastWeeklySlot(now: number, tz: string, hour: number): number {
  let date = dateInZone(now, tz);
  for (let i = 0; i < 9; i++) {
    const sunday = new Date(Date.parse(`${date}T12:00:00Z`)).getUTCDay() === 0;
    if (sunday) {
      const slot = instantOf(date, hh(hour), tz);
      if (slot <= now) return slot;
    }
    date = dayBefore(date);
  }
  throw new Error('unreachable: a week always holds a Sunday');
}

/** Backoff after a temporary failure: 1, 2, 4 … minutes, at most an hour; a message gives up after a day of tries. */
export function retryDelay(attempts: number): number {
  return Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempts - 1));
}

export const MAX_ATTEMPTS = 12;
