import { describe, it, expect } from 'vitest';
import { html, escapeHtml, attr } from '../views/html';
import { cell } from '../views/journal/cell';

const evil = '"><script>alert(1)</script><img src=x onerror=alert(1)>';

describe('templates escape by default', () => {
  it('escapes every interpolation, nested arrays too, but not another template', () => {
    const inner = html`<b>${evil}</b>`;
    const out = html`<p title="${evil}">${[evil, inner, null, false, 3]}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<img');
    expect(out).toContain('<b>&quot;&gt;&lt;script&gt;');
    expect(out).toContain('3</p>');
  });

  it('escapes the same way on every call (no regex state between calls)', () => {
    for (let i = 0; i < 3; i++) expect(escapeHtml('a<b')).toBe('a&lt;b');
    expect(attr('data-x', evil).value).not.toContain('"><');
  });

  it('the hand-built journal cell escapes its comment', () => {
    const out = cell({
      lang: 'ru', lessonId: 1, studentId: 2, expected: true, passFail: false, passMin: 4,
      record: { att: null, mark: { value: 7, comment: evil, version: 1, updatedBy: null, updatedAt: 0 }, makeup: null },
    }).value;
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<img');
    expect(out).toMatch(/>7<\/td>$/);
  });
});
