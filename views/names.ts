// How a person's name is written on a page: in full on cards and headings, short in grids.

export function displayName(u: { surname: string; givenName: string; patronymic?: string | null }): string {
  return [u.surname, u.givenName, u.patronymic].filter(Boolean).join(' ');
}

/** "Иванова А. С." — compact form for grids and audit lines. */
export function shortName(u: { surname: string; givenName: string; patronymic?: string | null }): string {
  const initials = [u.givenName, u.patronymic].filter(Boolean).map((n) => `${n!.charAt(0)}.`).join(' ');
  return `${u.surname} ${initials}`;
}
