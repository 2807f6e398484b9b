import { describe, it, expect } from 'vitest';
import { interpolate, registeredStrings } from '../../views/i18n';
import { formatNumber } from '../../views/format';
import { translateKey } from '../../views/translate';
import { hourInZone, partOfDay } from '../../server/domain/time';
import { t as home } from '../../views/home/strings';
import { t as progress } from '../../views/progress/strings';
import '../../views/admin/strings';
import '../../views/admin/structure-strings';
import '../../views/notifications/strings';

describe('counts choose their words by Intl.PluralRules', () => {
  it('in Russian: one, few and many forms, 11–14 included', () => {
    const students = (n: number) => `${n} ${home('ru', 'studentsCount', { n })}`;
    expect([1, 2, 5, 11, 12, 21, 22, 25, 51, 111].map(students)).toEqual([
      '1 студент', '2 студента', '5 студентов', '11 студентов', '12 студентов', '21 студент', '22 студента',
      '25 студентов', '51 студент', '111 студентов',
    ]);
    expect(translateKey('ru', 'admission.makeupsOutstanding', { n: 1 })).toBe('не отработано: 1 занятие');
    expect(translateKey('ru', 'admission.makeupsOutstanding', { n: 3 })).toBe('не отработано: 3 занятия');
    expect(progress('ru', 'coursesNotAdmitted', { n: 1, total: 21 })).toBe('не допущен по 1 из 21 дисциплины');
    expect(home('ru', 'heldOf', { held: 3, total: 5 })).toBe('проведено 3 из 5 занятий');
  });

  it('in English: one and other', () => {
    expect(translateKey('en', 'admission.makeupsOutstanding', { n: 1 })).toBe('1 missed class to make up');
    expect(translateKey('en', 'admission.makeupsOutstanding', { n: 2 })).toBe('2 missed classes to make up');
    expect(home('en', 'missingLessons', { n: 1 })).toBe('1 lesson without attendance');
    expect(progress('en', 'coursesNotAdmitted', { n: 1, total: 1 })).toBe('not admitted in 1 of 1 course');
  });

  it('an exact =N form wins over the category, and other is the fallback', () => {
    const s = '{n, plural, =0 {none} one {# item} other {# items}}';
    expect([0, 1, 7].map((n) => interpolate(s, { n }, 'en'))).toEqual(['none', '1 item', '7 items']);
    expect(interpolate('{n, plural, other {# штук}}', { n: 3 }, 'ru')).toBe('3 штук');
  });

  it('every plural in every dictionary parses, and Russian ones give the few form', () => {
    const problems: string[] = [];
    for (const s of registeredStrings()) {
      for (const [k, text] of Object.entries(s.ru)) {
        if (!text.includes('plural,')) continue;
        const name = /\{(\w+), plural,/.exec(text)![1];
        for (const n of [1, 2, 5, 21]) {
          const out = interpolate(text, { [name]: n }, 'ru');
          if (/plural,|[{}]/.test(out.replace(/\{\w+\}/g, ''))) problems.push(`${k}: ${out}`);
        }
        if (!/\bfew \{/.test(text) && !/\bone \{[^}]*\} other/.test(text)) problems.push(`${k}: no few form`);
      }
      for (const [k, text] of Object.entries(s.en)) {
        if (text.includes('plural,') && !/\bone \{/.test(text)) problems.push(`${k}: no one form`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('numbers are written the language’s way', () => {
  it('Russian decimals take a comma, English a point', () => {
    expect(formatNumber(37.5, 'ru')).toBe('37,5');
    expect(formatNumber(37.5, 'en')).toBe('37.5');
    expect(formatNumber(8, 'ru', 2)).toBe('8,00');
    expect(translateKey('ru', 'admission.ratingBelow', { rating: 3.2, min: 4 })).toBe('рейтинг 3,2 < 4');
    expect(translateKey('ru', 'admission.absenceOverCap', { rate: 37.5, cap: 30 })).toBe('пропуски 37,5 % — больше допустимых 30 %');
  });

  it('ids and years in sentences are never grouped', () => {
    expect(interpolate('#{id} {y}', { id: 12345, y: 2026 }, 'en')).toBe('#12345 2026');
    expect(interpolate('#{id}', { id: 12345 }, 'ru')).toBe('#12345');
  });
});

describe('the greeting follows the viewer’s local hour', () => {
  it('04:00 in Minsk is night, 04:00 UTC is 07:00 there', () => {
    const at = Date.parse('2026-11-24T01:00:00Z'); // 04:00 in Minsk, 06:30 in Kolkata
    expect(partOfDay(hourInZone(at, 'Europe/Minsk'))).toBe('night');
    expect(partOfDay(hourInZone(at, 'Asia/Kolkata'))).toBe('morning');
    expect(partOfDay(13)).toBe('afternoon');
    expect(partOfDay(19)).toBe('evening');
  });
});
