import type { Scale } from './types';

export type MarkCheck = { ok: true; value: number } | { ok: false; error: 'mark.notANumber' | 'mark.notInteger' | 'mark.outOfRange'; params: { min: number; max: number } };

/** A mark is an integer on the course's scale: 11, 0, -1, 4.5 and "abc" are all refused on ten points. */
export function validateMark(scale: Scale, raw: string | number): MarkCheck {
  const params = { min: scale.min, max: scale.max };
  const text = typeof raw === 'number' ? String(raw) : raw.trim().replace(',', '.');
  if (!/^[-+]?\d+(\.\d+)?$/.test(text)) return { ok: false, error: 'mark.notANumber', params };
  const n = Number(text);
  if (!Number.isInteger(n)) return { ok: false, error: 'mark.notInteger', params };
  if (n < scale.min || n > scale.max) return { ok: false, error: 'mark.outOfRange', params };
  return { ok: true, value: n };
}

export function isPass(scale: Scale, value: number): boolean {
  return value >= scale.passMin;
}

/** Half up, as Belarusian statements round (6.5 → 7), done on integers to dodge 0.1 + 0.2 drift. */
export function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5 + 1e-9);
}
