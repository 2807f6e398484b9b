// Post/Redirect/Get (issue 14, item 2): a form's success answers 303 to a page that can be reloaded,
// bookmarked and shown in the other language; what the page should say about it travels as `?done=key`
// (a key of the page's own strings, never text from the client). A form's one-time token (`ft`) makes a
// repeated submission show the first outcome instead of doing the action again.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Queryable, Tx } from '../db/store';
import { formTokenLocation, spendFormToken } from '../db/queries/form-tokens';

export const FORM_TOKEN = 'ft';
const TokenShape = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

/** The form's token, if it sent a well-formed one (forms without one, e.g. from an old page, just act). */
export function formTokenOf(req: FastifyRequest): string | null {
  const v = (req.body as Record<string, unknown> | undefined)?.[FORM_TOKEN];
  const p = TokenShape.safeParse(v);
  return p.success ? p.data : null;
}

/**
 * Runs `action` once per form token, in one transaction with the token's spending. Returns the location to
 * send the browser to: `location` for the first submission, the first one's for a repeat.
 */
export async function once<T>(s: Queryable, req: FastifyRequest, location: string | ((r: T) => string), action: (tx: Tx) => Promise<T>): Promise<string> {
  const token = formTokenOf(req);
  return s.tx(async (tx) => {
    const fixed = typeof location === 'string' ? location : null;
    if (token && fixed) {
      const earlier = await spendFormToken(tx, req.user!.id, token, fixed, req.server.clock());
      if (earlier !== null) return repeated(earlier);
      await action(tx);
      return fixed;
    }
    const r = await action(tx);
    const where = fixed ?? (location as (r: T) => string)(r);
    if (token) {
      const earlier = await spendFormToken(tx, req.user!.id, token, where, req.server.clock());
      if (earlier !== null) throw new RepeatedForm(repeated(earlier)); // rolls the second action back
    }
    return where;
  }).catch((e: unknown) => {
    if (e instanceof RepeatedForm) return e.location;
    throw e;
  });
}

/** Thrown by an action to refuse it with a message: the transaction, token included, rolls back. */
export class FormRefused extends Error {}

/**
 * Where this form's first submission went, if its token is spent: asked before checks that a repeat
 * would fail ("already closed"), so the repeat shows the first outcome rather than a conflict.
 */
export async function earlierOutcome(s: Queryable, req: FastifyRequest): Promise<string | null> {
  const token = formTokenOf(req);
  const earlier = token && req.user ? await formTokenLocation(s, req.user.id, token) : null;
  return earlier === null ? null : repeated(earlier);
}

export const AGAIN = 'again';

/**
 * The first outcome's page, saying that this submission was a repeat and did nothing (views/layout/page.ts
 * reads `again=1`): a user who pressed reload learns the action was not done twice.
 */
export function repeated(location: string): string {
  return /[?&]again=1(&|$)/.test(location) ? location : `${location}${location.includes('?') ? '&' : '?'}${AGAIN}=1`;
}

class RepeatedForm extends Error {
  constructor(readonly location: string) { super('repeated form'); }
}

/** `path` with `?done=key` (or `&done=key`), and the count the message names, if any. */
export function withDone(path: string, key: string, n?: number): string {
  return `${path}${path.includes('?') ? '&' : '?'}done=${encodeURIComponent(key)}${n === undefined ? '' : `&n=${n}`}`;
}

/** The count a `done` message names (0 when absent or not a small whole number). */
export function doneCount(req: FastifyRequest, name = 'n'): number {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : 0;
}

export function seeOther(reply: FastifyReply, location: string) {
  return reply.redirect(location, 303);
}

/** The `done` key of this GET, if it is one of the page's own. */
export function doneKey<K extends string>(req: FastifyRequest, keys: readonly K[]): K | undefined {
  const v = (req.query as Record<string, unknown> | undefined)?.done;
  return keys.find((k) => k === v);
}
