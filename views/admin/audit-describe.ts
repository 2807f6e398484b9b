/** "value: 7 → 8; status: absent → present", leaving out bookkeeping fields. */
export function describeChange(before: string | null, after: string | null): string {
  const b = before ? (JSON.parse(before) as Record<string, unknown>) : {};
  const a = after ? (JSON.parse(after) as Record<string, unknown>) : {};
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => k !== 'version' && JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null))
    .map((k) => `${k}: ${b[k] === undefined || b[k] === null ? '—' : JSON.stringify(b[k])} → ${a[k] === undefined || a[k] === null ? '—' : JSON.stringify(a[k])}`)
    .join('; ');
}
