import type { Lang } from '../../db/schema';
import { formatDateTime, formatDay } from '../format';
import { kindLabel } from '../lesson-kinds';
import { markWord } from '../scale-words';
import { t } from './strings';

/** Names for the ids an audit row's before/after hold, looked up by the route (views read no database). */
export type AuditNames = {
  users: ReadonlyMap<number, string>;
  groups: ReadonlyMap<number, string>;
  reasons: ReadonlyMap<number, { ru: string; en: string }>;
  faculties: ReadonlyMap<number, { ru: string; en: string }>;
};
export const NO_NAMES: AuditNames = { users: new Map(), groups: new Map(), reasons: new Map(), faculties: new Map() };

/** Which fields hold whose id: the route collects these ids and asks for their names. */
export const NAME_FIELDS: Record<keyof AuditNames, readonly string[]> = {
  users: ['teacherId', 'guardianId', 'userId', 'studentId'],
  groups: ['groupId'],
  reasons: ['reasonId'],
  faculties: ['facultyId'],
};

export type AuditChange = { action: string; entity: string; before: string | null; after: string | null; scaleKind?: string | null };

const parse = (j: string | null): Record<string, unknown> => {
  if (!j) return {};
  try {
    const v = JSON.parse(j) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** The ids of people, groups, reasons and faculties a set of rows mentions. */
export function referencedIds(rows: Iterable<Pick<AuditChange, 'before' | 'after'>>): Record<keyof AuditNames, number[]> {
  const out = { users: new Set<number>(), groups: new Set<number>(), reasons: new Set<number>(), faculties: new Set<number>() };
  for (const r of rows) {
    for (const o of [parse(r.before), parse(r.after)]) {
      for (const [kind, fields] of Object.entries(NAME_FIELDS) as [keyof AuditNames, readonly string[]][]) {
        for (const f of fields) if (typeof o[f] === 'number' && Number.isInteger(o[f])) out[kind].add(o[f] as number);
      }
    }
  }
  return { users: [...out.users], groups: [...out.groups], reasons: [...out.reasons], faculties: [...out.faculties] };
}

type Key = Parameters<typeof t>[1];
const has = (lang: Lang, key: string): key is Key => t(lang, key as Key) !== undefined;
const word = (lang: Lang, key: string, fallback: string) => (has(lang, key) ? t(lang, key) : fallback);

/** "Mark changed" for 'mark.update'; an unknown code stays as it is rather than vanish. */
export function actionLabel(lang: Lang, action: string): string {
  return word(lang, `a.${action}`, action);
}

export function roleLabel(lang: Lang, role: string | null | undefined): string {
  return role ? word(lang, `r.${role}`, role) : '';
}

function fieldLabel(lang: Lang, entity: string, field: string): string {
  return has(lang, `f.${entity}.${field}`) ? t(lang, `f.${entity}.${field}` as Key) : word(lang, `f.${field}`, field);
}

const LANG_NAMES: Record<string, string> = { ru: 'Русский', en: 'English' };

function valueText(lang: Lang, tz: string, c: AuditChange, field: string, v: unknown, names: AuditNames): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return t(lang, v ? 'v.yes' : 'v.no');
  if ((field === 'value' || field === 'mark') && typeof v === 'number') return markWord(lang, c.scaleKind, v);
  if (field === 'kind' && typeof v === 'string') return kindLabel(lang, v);
  if (field === 'lang' && typeof v === 'string') return LANG_NAMES[v] ?? v;
  if ((field === 'role' || field === 'roles') && (typeof v === 'string' || Array.isArray(v))) {
    return (Array.isArray(v) ? v : [v]).map((r) => roleLabel(lang, String(r))).join(', ');
  }
  if (field === 'revokedAt' && typeof v === 'number') return formatDateTime(v, lang, tz);
  if (typeof v === 'number') {
    for (const [kind, fields] of Object.entries(NAME_FIELDS) as [keyof AuditNames, readonly string[]][]) {
      if (!fields.includes(field)) continue;
      const n = names[kind].get(v);
      if (n === undefined) return t(lang, 'v.id', { id: v });
      return typeof n === 'string' ? n : n[lang];
    }
    return String(v);
  }
  if (typeof v === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDay(v, lang);
    if (field === 'scope' && v === 'attendance') return t(lang, 'v.attendanceScope');
    if ((field === 'subject' || field === 'field') && (v === 'mark' || v === 'attendance')) return t(lang, v === 'mark' ? 'v.markSubject' : 'v.attendanceSubject');
    if (['status', 'reasonStatus', 'scope', 'consent'].includes(field)) return word(lang, `v.${v}`, v);
    return v.length > 200 ? `${v.slice(0, 199)}…` : v;
  }
  const json = JSON.stringify(v);
  return json.length > 200 ? `${json.slice(0, 199)}…` : json;
}

/**
 * What a row changed, in words: "attendance: absent → present; reason: not given yet → excused" for an
 * update, "mark: 7" for a first entry. Bookkeeping (versions) is left out; ids become names.
 */
export function describeChange(lang: Lang, tz: string, c: AuditChange, names: AuditNames = NO_NAMES): string {
  const b = parse(c.before);
  const a = parse(c.after);
  const created = c.before === null;
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => k !== 'version' && JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null))
    // A first entry lists what it set, not the empty fields nor "reason: not given" beside a presence.
    .filter((k) => !created || (a[k] !== null && a[k] !== undefined && !(k === 'reasonStatus' && a.status !== 'absent')))
    .map((k) => {
      const label = fieldLabel(lang, c.entity, k);
      const to = valueText(lang, tz, c, k, a[k], names);
      return created ? `${label}: ${to}` : `${label}: ${valueText(lang, tz, c, k, b[k], names)} → ${to}`;
    })
    .join('; ');
}
