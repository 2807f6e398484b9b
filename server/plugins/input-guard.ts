import type { FastifyInstance } from 'fastify';
import { HttpError } from '../http-error';

// PostgreSQL's text cannot hold U+0000 and refuses the whole statement, so a NUL in any field would
// be a 500 on a server database and a silently truncated string in some readers on SQLite. No form of
// the register has a use for it: refuse the request, in the user's language, before a route reads it.

const MAX_DEPTH = 8;

function fieldWithNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.includes('\u0000')) return path || '—';
    const found = fieldWithNul(v, path || k, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    // No path names anything with a NUL in it: that address does not exist.
    if (fieldWithNul(req.params, '') !== null) throw new HttpError(404);
    for (const part of [req.query, req.body]) {
      const field = fieldWithNul(part, '');
      if (field !== null) throw new HttpError(400, 'invalidInput', { fields: field || '—' });
    }
  });
}
