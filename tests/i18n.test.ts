import { describe, it, expect } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registeredStrings } from '../views/i18n';

/** Every strings module under views/ must give Russian and English the same keys, none empty. */
function stringFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? stringFiles(p) : /\.ts$/.test(f) ? [p] : [];
  });
}

describe('dictionaries', () => {
  it('have the same keys in English and Russian, with the same placeholders', async () => {
    for (const f of stringFiles(join(__dirname, '..', 'views'))) await import(pathToFileURL(f).href);
    const modules = registeredStrings();
    expect(modules.length).toBeGreaterThan(3);
    const problems: string[] = [];
    for (const s of modules) {
      const en = Object.keys(s.en).sort();
      const ru = Object.keys(s.ru).sort();
      if (en.join() !== ru.join()) problems.push(`keys differ: ${en.filter((k) => !ru.includes(k))} / ${ru.filter((k) => !en.includes(k))}`);
      for (const k of en) {
        if (!s.en[k] || !s.ru[k]) problems.push(`empty: ${k}`);
        // A placeholder is `{name}` or a plural's `{name, plural, …}`; the words of a plural's forms are not.
        const ph = (x: string) => [...x.matchAll(/(?<!(?:zero|one|two|few|many|other|=\d+)\s?)\{(\w+)(?=\}|, plural,)/g)]
          .map((m) => m[1]).sort().join();
        if (s.ru[k] !== undefined && ph(s.en[k]) !== ph(s.ru[k])) problems.push(`placeholders differ: ${k}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
