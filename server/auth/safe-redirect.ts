// Where to send the browser after a form (login's `next`, the language switch's `back`): the value
// comes from the client, so an open redirect would let a phishing link bounce through our login.
// Checked AFTER normalisation: '/.//evil', '/a/..//evil' and '/%2e//evil' only become '//evil'
// (a host) once the dot segments are resolved, which is what a browser does with the Location.

const BASE = 'http://same.invalid';
// C0 controls, space, DEL, C1 controls and backslash: a browser strips or rewrites them ('\' reads as
// '/' in http URLs, a tab vanishes), so '/\evil' and '/\t/evil' could turn into '//evil'.
const UNSAFE = /[\u0000-\u0020\u007f-\u009f\\]/;

/** A same-origin path (with query and fragment) that is safe for a Location header, or '/'. */
export function safeRedirect(target: unknown, fallback = '/'): string {
  if (typeof target !== 'string' || !target.startsWith('/') || UNSAFE.test(target)) return fallback;
  let u: URL;
  try {
    u = new URL(target, BASE);
  } catch {
    return fallback;
  }
  if (u.origin !== BASE || u.username || u.password) return fallback;
  if (!isPlainPath(u.pathname)) return fallback;
  // The URL parser percent-encodes what a header may not carry (non-ASCII, quotes), so the result is ASCII.
  return u.pathname + u.search + u.hash;
}

/**
 * One leading '/', not '//' or '/\', also once percent-decoded and NFKC-folded (a proxy or a later hop
 * may decode it, and fold a fullwidth '／' into '/').
 */
function isPlainPath(pathname: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  // Once decoded, also no Unicode spaces, line separators or invisible format characters: no page has them.
  return [pathname, decoded, decoded.normalize('NFKC')].every((p) => p.startsWith('/') && !p.startsWith('//') && !/[\p{Cc}\p{Cf}\p{Z}\\]/u.test(p));
}
