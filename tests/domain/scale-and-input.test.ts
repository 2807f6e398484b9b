import { describe, it, expect } from 'vitest';
import { validateMark, roundHalfUp, isPass } from '../../server/domain/scale';
import { parseCellInput } from '../../server/domain/cell-input';
import { SCALES } from '../../server/domain/rules';

const ten = SCALES.ten;

describe('marks on the ten-point scale', () => {
  it.each([
    ['11', 'mark.outOfRange'], ['0', 'mark.outOfRange'], ['-1', 'mark.outOfRange'],
    ['4.5', 'mark.notInteger'], ['4,5', 'mark.notInteger'], ['abc', 'mark.notANumber'], ['', 'mark.notANumber'],
  ])('refuses %s with %s', (raw, error) => {
    expect(validateMark(ten, raw)).toEqual({ ok: false, error, params: { min: 1, max: 10 } });
  });
  it.each([['1', 1], ['10', 10], [' 7 ', 7], ['4.0', 4]])('accepts %s', (raw, value) => {
    expect(validateMark(ten, raw)).toEqual({ ok: true, value });
  });
  it('passes from 4', () => {
    expect(isPass(ten, 3)).toBe(false);
    expect(isPass(ten, 4)).toBe(true);
  });
  it('rounds half up', () => {
    expect(roundHalfUp(6.5)).toBe(7);
    expect(roundHalfUp(6.49)).toBe(6);
    expect(roundHalfUp(0.5 + 0.1 + 0.2 + 5.7)).toBe(7);
  });
  it('other scales are configuration', () => {
    expect(validateMark(SCALES.five, '6')).toMatchObject({ ok: false, error: 'mark.outOfRange' });
    expect(validateMark(SCALES.percent, '0')).toEqual({ ok: true, value: 0 });
  });
});

describe('what a teacher types into a cell', () => {
  it.each([
    ['н', 'absent'], ['Н', 'absent'], ['n', 'absent'], ['a', 'absent'], ['нб', 'absent'],
    ['о', 'late'], ['l', 'late'], ['п', 'present'], ['p', 'present'], ['+', 'present'],
  ])('%s is %s', (raw, status) => {
    expect(parseCellInput(raw, ten)).toEqual({ type: 'status', status });
  });
  it('digits are marks, blank clears', () => {
    expect(parseCellInput('8', ten)).toEqual({ type: 'mark', value: 8 });
    expect(parseCellInput('  ', ten)).toEqual({ type: 'clear' });
    expect(parseCellInput('-', ten)).toEqual({ type: 'clear' });
  });
  it.each(['11', '0', '-1', '4.5'])('bad mark %s is an error with the scale bounds', (raw) => {
    expect(parseCellInput(raw, ten)).toMatchObject({ type: 'error', params: { min: 1, max: 10 } });
  });
  it.each(['abc', 'x', 'нн'])('unknown code %s', (raw) => {
    expect(parseCellInput(raw, ten)).toMatchObject({ type: 'error', error: 'cell.unknownCode' });
  });
  it('pass/fail courses take зачтено / не зачтено in both alphabets, not numbers', () => {
    const pf = SCALES.pass_fail;
    expect(parseCellInput('з', pf)).toEqual({ type: 'mark', value: 1 });
    expect(parseCellInput('pass', pf)).toEqual({ type: 'mark', value: 1 });
    expect(parseCellInput('нз', pf)).toEqual({ type: 'mark', value: 0 });
    expect(parseCellInput('f', pf)).toEqual({ type: 'mark', value: 0 });
    expect(parseCellInput('н', pf)).toEqual({ type: 'status', status: 'absent' });
    expect(parseCellInput('7', pf)).toMatchObject({ type: 'error', error: 'cell.passFailOnly' });
  });
});
