import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument } from '../../views/csv';

describe('CSV export cells', () => {
  it('keeps formula-looking text as text, numbers as numbers, and quotes what needs quoting', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    for (const lead of ['+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(lead).replace(/^"/, '').startsWith(`'`), lead).toBe(true);
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(null)).toBe('');
    expect(csvCell('Иванов; Пётр')).toBe('"Иванов; Пётр"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('plain')).toBe('plain');
  });

  it('writes a BOM and CRLF line ends', () => {
    expect(csvDocument([['a', 1], ['б', null]])).toBe('\uFEFFa,1\r\nб,\r\n');
  });
});
