import type { AttendanceStatus, Scale } from './types';
import { validateMark } from './scale';

export type CellInput =
  | { type: 'clear' }
  | { type: 'status'; status: AttendanceStatus }
  | { type: 'mark'; value: number }
  | { type: 'error'; error: string; params: Record<string, string | number> };

// Russian and Latin letters both work, so a teacher never has to switch keyboard layouts.
const STATUS_CODES: Record<string, AttendanceStatus> = {
  'н': 'absent', 'нб': 'absent', 'n': 'absent', 'a': 'absent', 'abs': 'absent',
  'о': 'late', 'оп': 'late', 'l': 'late', 'late': 'late',
  'п': 'present', 'p': 'present', '+': 'present', '.': 'present', '·': 'present',
};

const PASS = new Set(['з', 'зч', 'зач', 'зачтено', 'z', 'pass', 'ps', 'зачет', 'зачёт']);
const FAIL = new Set(['нз', 'незач', 'не зачтено', 'f', 'fail', 'nz']);

/** What a teacher typed into a journal cell. */
export function parseCellInput(raw: string, scale: Scale): CellInput {
  const text = raw.trim().toLowerCase();
  if (text === '' || text === '-' || text === '—') return { type: 'clear' };
  if (scale.kind === 'pass_fail') {
    if (PASS.has(text)) return { type: 'mark', value: 1 };
    if (FAIL.has(text)) return { type: 'mark', value: 0 };
  }
  const status = STATUS_CODES[text];
  if (status) return { type: 'status', status };
  if (/^[-+]?[\d.,]+$/.test(text)) {
    if (scale.kind === 'pass_fail') return { type: 'error', error: 'cell.passFailOnly', params: {} };
    const m = validateMark(scale, text);
    return m.ok ? { type: 'mark', value: m.value } : { type: 'error', error: m.error, params: m.params };
  }
  return { type: 'error', error: 'cell.unknownCode', params: { code: raw.trim().slice(0, 20) } };
}
