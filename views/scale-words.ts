import { defineStrings } from './i18n';
import type { Lang } from '../db/schema';

// One vocabulary per scale, for every page, notification and export: a pass/fail mark is "зачтено" /
// "не зачтено" ("pass" / "fail") in words, and "зч" / "нз" ("P" / "F") only where a grid has no room.
const t = defineStrings(
  { pass: 'pass', fail: 'fail', passShort: 'P', failShort: 'F' },
  { pass: 'зачтено', fail: 'не зачтено', passShort: 'зч', failShort: 'нз' },
);

export type ScaleKind = 'points' | 'pass_fail';

/** A mark as words: "7" on points, "зачтено" on pass/fail (1 is a pass, 0 a fail). */
export function markWord(lang: Lang, kind: ScaleKind | string | null | undefined, value: number): string {
  return kind === 'pass_fail' ? t(lang, value >= 1 ? 'pass' : 'fail') : String(value);
}

/** The grid's abbreviation of the same words. */
export function markShort(lang: Lang, kind: ScaleKind | string | null | undefined, value: number): string {
  return kind === 'pass_fail' ? t(lang, value >= 1 ? 'passShort' : 'failShort') : String(value);
}
