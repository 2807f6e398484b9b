import { describe, it, expect } from 'vitest';
import { cyrillicName, displayName, otherName, shortName, statementName } from '../../views/names';
import { isLatinName } from '../../server/domain/text';
import { LatinName } from '../../server/forms';

const sharma = { surname: 'Шарма', givenName: 'Рохан', patronymic: null, nameLatin: 'SHARMA Rohan' };
const ivanova = { surname: 'Иванова', givenName: 'Анна', patronymic: 'Сергеевна', nameLatin: null };

describe('which form of a name a page shows', () => {
  it('English pages use the Latin name where there is one; Russian pages always the Cyrillic', () => {
    expect(displayName(sharma, 'en')).toBe('SHARMA Rohan');
    expect(displayName(sharma, 'ru')).toBe('Шарма Рохан');
    expect(displayName(ivanova, 'en')).toBe('Иванова Анна Сергеевна'); // no Latin name: the Cyrillic one
    expect(displayName({ ...ivanova, nameLatin: '' }, 'en')).toBe('Иванова Анна Сергеевна');
    expect(displayName({ surname: 'Ли', givenName: 'Мэй' }, 'en')).toBe('Ли Мэй'); // a row without the column
  });

  it('short forms: the passport surname (the upper-case words) and initials', () => {
    expect(shortName(sharma, 'en')).toBe('SHARMA R.');
    expect(shortName(sharma, 'ru')).toBe('Шарма Р.');
    expect(shortName(ivanova, 'en')).toBe('Иванова А. С.');
    expect(shortName({ ...sharma, nameLatin: 'VAN DER BERG Jan Pieter' }, 'en')).toBe('VAN DER BERG J. P.');
    expect(shortName({ ...sharma, nameLatin: 'Al-Hassan Omar' }, 'en')).toBe('Al-Hassan O.'); // case does not tell: the first word
    expect(shortName({ ...sharma, nameLatin: 'WANG' }, 'en')).toBe('WANG');
  });

  it('the other form, and both on a statement', () => {
    expect(otherName(sharma, 'ru')).toBe('SHARMA Rohan');
    expect(otherName(sharma, 'en')).toBe('Шарма Рохан');
    expect(otherName(ivanova, 'en')).toBeNull();
    expect(cyrillicName(sharma)).toBe('Шарма Рохан');
    expect(statementName(sharma).value).toBe('<span class="nm-cyr">Шарма Рохан</span><br><span class="nm-lat">SHARMA Rohan</span>');
    expect(statementName(ivanova).value).toBe('<span class="nm-cyr">Иванова Анна Сергеевна</span>');
    expect(statementName({ ...sharma, nameLatin: "O'NEIL <b>" }).value).not.toContain('<b>');
  });
});

describe('what a Latin name may hold', () => {
  it('Latin letters with spaces, hyphens, apostrophes and dots; not Cyrillic, digits or other signs', () => {
    for (const ok of ['SHARMA Aarav', "O'NEILL Mary-Jane", 'ST. JOHN Ann', 'MÜLLER Jürgen', 'YILMAZ Zeynep', 'O’BRIEN Sean']) expect(isLatinName(ok), ok).toBe(true);
    for (const bad of ['Иванова Anna', 'SHARMA1', '-SHARMA', 'SHARMA <b>', 'SHARMA_A', '', 'A'.repeat(101), 'ΣΑΡΜΑ']) expect(isLatinName(bad), bad).toBe(false);
  });

  it('the form field trims, folds inner spaces, takes blank as none, absent as unchanged, and refuses the rest', () => {
    expect(LatinName.parse('  SHARMA   Aarav ')).toBe('SHARMA Aarav');
    expect(LatinName.parse('   ')).toBeNull();
    expect(LatinName.parse(undefined)).toBeUndefined(); // a form without the field: keep what is recorded
    const bad = LatinName.safeParse('Шарма');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('latinName');
  });
});
