// The policy as a request asks it: the user's facts load once per request, the facts of each object
// it touches once, then the pure decision (decide.ts). Routes never decide access themselves.
import type { FastifyRequest } from 'fastify';
import { notFound } from '../http-error';
import { can, needsOf, personDecisionWithoutTies, type Action } from './decide';
import { loadFacts, withObjects, type Facts, type Needs } from './facts';

const cache = new WeakMap<FastifyRequest, Promise<Facts>>();

export function factsOf(req: FastifyRequest, needs: Needs = {}): Promise<Facts> {
  let f = cache.get(req);
  if (!f) cache.set(req, (f = loadFacts(req.server.store, req.user)));
  return f.then((facts) => withObjects(req.server.store, facts, needs));
}

export async function allowed(req: FastifyRequest, a: Action): Promise<boolean> {
  return can(await factsOf(req, needsOf(a)), a);
}

/** A refusal looks like a missing page: a guessed id learns nothing (DESIGN.md §4). */
export async function requireOr404(req: FastifyRequest, a: Action): Promise<void> {
  if (!(await allowed(req, a))) throw notFound();
}

/**
 * The accounts among `ids` (existing ones, from a query) the user may see: decided without their ties where
 * they do not matter (personDecisionWithoutTies), else through person.view with the ties loaded in bulk.
 */
export async function visiblePeople(req: FastifyRequest, ids: number[]): Promise<Set<number>> {
  const open = ids.filter((id) => personDecisionWithoutTies(req.user, id, 'view') === null);
  const f = open.length ? await factsOf(req, { persons: open }) : null;
  return new Set(ids.filter((id) => personDecisionWithoutTies(req.user, id, 'view') ?? can(f!, { do: 'person.view', userId: id })));
}
