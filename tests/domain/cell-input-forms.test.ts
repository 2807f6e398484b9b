// Issue 14, item 4: the editor accepts every form the grid shows. The forms come from the grid's own
// cellText (both languages, both scales), so a new display form that cannot be typed back fails here.
import { describe, it, expect } from 'vitest';
import { parseCellInput } from '../../server/domain/cell-input';
import { SCALES } from '../../server/domain/rules';
import { cellText } from '../../views/journal/cell';
import type { CellRecord } from '../../db/queries/journal';

const ten = SCALES.ten;
const pf = SCALES.pass_fail;
type Status = 'present' | 'late' | 'absent';

const rec = (status: Status | null, reasonStatus: 'unknown' | 'excused', mark: number | null, makeupMark: number | null = null): CellRecord => ({
  att: status ? { status, reasonStatus, reasonId: null, documentRef: null, version: 1, updatedBy: null, updatedAt: 0 } : null,
  mark: mark === null ? null : { value: mark, comment: null, version: 1, updatedBy: null, updatedAt: 0 },
  makeup: makeupMark === null ? null : { status: 'done', mark: makeupMark, doneOn: '2026-11-20', version: 1 },
});

describe('every form the grid shows can be typed back', () => {
  const cases: ['ru' | 'en', CellRecord, boolean, Status | null, number | null][] = [];
  for (const lang of ['ru', 'en'] as const) {
    for (const passFail of [false, true]) {
      const marks = passFail ? [1, 0] : [5, 8, 10, 1];
      for (const status of ['present', 'late', 'absent'] as const) {
        for (const excused of status === 'absent' ? [false, true] : [false]) {
          cases.push([lang, rec(status, excused ? 'excused' : 'unknown', null), passFail, status === 'present' ? null : status, null]);
          for (const m of marks) cases.push([lang, rec(status, excused ? 'excused' : 'unknown', m), passFail, status === 'present' ? null : status, m]);
        }
      }
      // A made-up absence shows the make-up's mark: "н 8".
      cases.push([lang, rec('absent', 'unknown', null, passFail ? 1 : 8), passFail, 'absent', passFail ? 1 : 8]);
    }
  }
  it.each(cases.map(([lang, r, passFail, status, mark]) => [cellText(lang, r, passFail), lang, passFail ? 'pass/fail' : 'ten-point', r, passFail, status, mark] as const)
    .filter(([text]) => text !== ''))('"%s" (%s, %s)', (text, _lang, _scale, _r, passFail, status, mark) => {
    const got = parseCellInput(text, passFail ? pf : ten);
    if (status && mark !== null) expect(got).toEqual({ type: 'both', status, value: mark });
    else if (status) expect(got).toEqual({ type: 'status', status });
    else expect(got).toEqual({ type: 'mark', value: mark });
  });
});

describe('status and mark together', () => {
  it.each([
    ['о 5', 'late', 5], ['О 6', 'late', 6], ['н 8', 'absent', 8], ['l 5', 'late', 5], ['L 5', 'late', 5], ['n 8', 'absent', 8],
    ['a 7', 'absent', 7], ['5 о', 'late', 5], ['о   5', 'late', 5], ['н/у 8', 'absent', 8], ['A/E 8', 'absent', 8], ['п 9', 'present', 9],
  ] as const)('%s is %s with %d', (raw, status, value) => {
    expect(parseCellInput(raw, ten)).toEqual({ type: 'both', status, value });
  });
  it('pass/fail: a status with зч / P / нз', () => {
    expect(parseCellInput('о зч', pf)).toEqual({ type: 'both', status: 'late', value: 1 });
    expect(parseCellInput('L P', pf)).toEqual({ type: 'both', status: 'late', value: 1 });
    expect(parseCellInput('н нз', pf)).toEqual({ type: 'both', status: 'absent', value: 0 });
    expect(parseCellInput('не зачтено', pf)).toEqual({ type: 'mark', value: 0 });
  });
  it('a bad mark next to a status is still refused with the scale bounds', () => {
    expect(parseCellInput('о 11', ten)).toMatchObject({ type: 'error', params: { min: 1, max: 10 } });
    expect(parseCellInput('н 0', ten)).toMatchObject({ type: 'error', params: { min: 1, max: 10 } });
    expect(parseCellInput('о 7', pf)).toMatchObject({ type: 'error', error: 'cell.passFailOnly' });
  });
  it.each(['н н', 'о п', '5 5', 'о 5 6', 'abc 5', 'о abc'])('%s is not a cell value', (raw) => {
    expect(parseCellInput(raw, ten)).toMatchObject({ type: 'error' });
  });
});

describe('names of Object members', () => {
  it('are unknown codes, not statuses ("__proto__" once reached the write as an object: a 500)', () => {
    for (const raw of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '__proto__ 5', 'constructor н']) {
      const r = parseCellInput(raw, SCALES.ten);
      expect(r.type, raw).toBe('error');
    }
  });
});
