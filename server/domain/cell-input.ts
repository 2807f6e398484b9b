import type { AttendanceStatus, Scale } from './types';
import { validateMark } from './scale';

export type CellInput =
  | { type: 'clear' }
  | { type: 'status'; status: AttendanceStatus }
  | { type: 'mark'; value: number }
  | { type: 'both'; status: AttendanceStatus; value: number } // "о 5": late, and a 5
  | { type: 'error'; error: string; params: Record<string, string | number> };

// Russian and Latin letters both work, so a teacher never has to switch keyboard layouts.
// A Map, not an object: "__proto__" or "constructor" typed into a cell must not find Object's own members.
const STATUS_CODES = new Map<string, AttendanceStatus>(Object.entries({
  'н': 'absent', 'нб': 'absent', 'n': 'absent', 'a': 'absent', 'abs': 'absent',
  'о': 'late', 'оп': 'late', 'l': 'late', 'late': 'late',
  'п': 'present', 'p': 'present', '+': 'present', '.': 'present', '·': 'present',
  // What the grid shows for an excused absence ("н/у", "A/E"): typed back, it is an absence (the reason stays).
  'н/у': 'absent', 'ну': 'absent', 'a/e': 'absent', 'n/u': 'absent',
} satisfies Record<string, AttendanceStatus>));

// On a pass/fail course "P" is what the grid shows for a pass, so there it means pass (present is "п", "+").
const PASS = new Set(['з', 'зч', 'зач', 'зачтено', 'z', 'pass', 'ps', 'p', 'зачет', 'зачёт']);
const FAIL = new Set(['нз', 'незач', 'не зачтено', 'f', 'fail', 'nz']);

/**
 * What a teacher typed into a journal cell: everything the grid shows can be typed back ("о 5", "н 8",
 * "L 5", "о зч"), a status and a mark in either order, separated by spaces.
 */
export function parseCellInput(raw: string, scale: Scale): CellInput {
  const words = raw.trim().toLowerCase().split(/\s+/);
  if (words.length === 2 && !(scale.kind === 'pass_fail' && FAIL.has(words.join(' ')))) {
    const [a, b] = words as [string, string];
    const status = STATUS_CODES.has(a) ? a : STATUS_CODES.has(b) ? b : null;
    if (status) {
      const other = status === a ? b : a;
      const mark = parseOne(other, raw, scale);
      if (mark.type === 'mark') return { type: 'both', status: STATUS_CODES.get(status)!, value: mark.value };
      if (mark.type === 'error') return mark;
    }
  }
  return parseOne(raw.trim().toLowerCase(), raw, scale);
}

function parseOne(text: string, raw: string, scale: Scale): CellInput {
  if (text === '' || text === '-' || text === '—') return { type: 'clear' };
  if (scale.kind === 'pass_fail') {
    if (PASS.has(text)) return { type: 'mark', value: 1 };
    if (FAIL.has(text)) return { type: 'mark', value: 0 };
  }
  const status = STATUS_CODES.get(text);
  if (status) return { type: 'status', status };
  if (/^[-+]?[\d.,]+$/.test(text)) {
    if (scale.kind === 'pass_fail') return { type: 'error', error: 'cell.passFailOnly', params: {} };
    const m = validateMark(scale, text);
    return m.ok ? { type: 'mark', value: m.value } : { type: 'error', error: m.error, params: m.params };
  }
  return { type: 'error', error: 'cell.unknownCode', params: { code: raw.trim().slice(0, 20) } };
}
