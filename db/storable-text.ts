// PostgreSQL's text cannot hold U+0000 and refuses the whole statement ("invalid byte sequence"), a 500
// there, while SQLite would store a string that some readers cut at the NUL. Both stores check the
// values they bind, so a NUL is refused the same way on either database, wherever it came from (a form,
// a query string, an imported file), before any statement runs; the error handler answers it with 400.
export class UnstorableText extends Error {
  readonly statusCode = 400;
  constructor() {
    super('a value holds U+0000, which the database cannot store');
  }
}

export function checkStorable(params: readonly unknown[]): void {
  for (const p of params) if (typeof p === 'string' && p.includes('\u0000')) throw new UnstorableText();
}
