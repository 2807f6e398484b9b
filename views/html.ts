// Typed templates that escape by default: every interpolated value is escaped unless it is
// already SafeHtml (the output of another template). Arrays are joined; null/false/undefined vanish.
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Html = SafeHtml;
type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const NEEDS_ESCAPE = /[&<>"']/; // not global: a stateful lastIndex has no place in an escaper
const ESCAPE_ALL = /[&<>"']/g;

export function escapeHtml(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE_ALL, (c) => ESCAPES[c]) : s;
}

function render(v: Interpolation): string {
  if (v === null || v === undefined || v === false || v === true) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) {
    let out = '';
    for (const x of v) out += render(x);
    return out;
  }
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Only for markup produced by our own code (e.g. a server-rendered SVG built from numbers). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Attribute helper: renders ` name="value"` or nothing. */
export function attr(name: string, value: string | number | null | undefined | false): SafeHtml {
  if (value === null || value === undefined || value === false) return new SafeHtml('');
  return new SafeHtml(` ${name}="${escapeHtml(String(value))}"`);
}
