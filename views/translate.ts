import type { Lang } from '../db/schema';
import { registeredStrings, interpolate } from './i18n';
import './rules/strings'; // the domain's codes are always translatable
import './session/strings';
import './session/calendar-strings';
import './messages';

/**
 * Looks a message key up in every registered strings module. Domain rules return codes such as
 * 'mark.outOfRange'; the module that owns the code registers its text with defineStrings.
 */
export function translateKey(lang: Lang, key: string, params?: Record<string, string | number>): string {
  for (const s of registeredStrings()) {
    const text = s[lang][key];
    if (text !== undefined) return interpolate(text, params, lang);
  }
  return key;
}
