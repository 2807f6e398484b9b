// A one-time password link shown after a form (a new account, a reset, a new guardian) survives the
// redirect of Post/Redirect/Get, a reload and a language switch of that card, in this browser only: it
// rides in an HttpOnly cookie bound to the card's path for ten minutes, and is shown while still usable.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieOptions } from '../plugins/request-context';
import { resetByToken } from '../../db/queries/people';

const COOKIE = 'zonetimelink';
const SHAPE = /^(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{20,64})$/;

/** Keeps `token` (a reset link for `userId`) for the card of `cardId`. */
export function keepLink(req: FastifyRequest, reply: FastifyReply, cardId: number, userId: number, token: string): void {
  reply.setCookie(COOKIE, `${cardId}.${userId}.${token}`, { ...cookieOptions(req.server, 600), path: `/admin/people/${cardId}` });
}

/** The kept link, if the cookie holds one made on this card that can still be used. */
export async function keptLink(req: FastifyRequest, cardId: number): Promise<string | null> {
  const m = SHAPE.exec(req.cookies[COOKIE] ?? '');
  if (!m || Number(m[1]) !== cardId) return null;
  const reset = await resetByToken(req.server.store, m[3]!, req.server.clock());
  return reset && reset.userId === Number(m[2]) ? `${req.server.config.publicUrl}/reset/${m[3]}` : null;
}
