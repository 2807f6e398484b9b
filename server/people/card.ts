import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { viewCtx } from '../plugins/request-context';
import { adminFacultiesOr404 } from '../policy/require';
import { allowed, can, factsOf, withObjects } from '../policy';
import { HttpError, notFound } from '../http-error';
import { Id } from '../forms';
import { personDetails, rolesOf, membershipsOf, childrenOf, groupChoices, departmentChoices, facultyChoices, type NewPerson } from '../../db/queries/admin-people';
import { linksOfStudent } from '../../db/queries/guardians';
import { personPage, type Choices } from '../../views/people/person';
import type { Notice } from '../../views/layout/notice';

// The person card is answered by several routes (details, roles, group, guardians, and the
// disable/enable/reset actions when pressed on the card), so it is rendered in one place.

/** What the admin's forms may offer: every list is already cut to their faculties. Non-admins: 404. */
export async function adminChoices(req: FastifyRequest): Promise<Choices> {
  const f = adminFacultiesOr404(req.user);
  const s = req.server.store;
  const [groups, departments, faculties] = await Promise.all([groupChoices(s, f), departmentChoices(s, f), facultyChoices(s, f)]);
  return { groups, departments, faculties, canGrantAdmin: f === 'all' };
}

/** The `:userId` of a person route, looked up through the policy: someone the admin may not see is not there. */
export async function personOr404(req: FastifyRequest): Promise<number> {
  const p = z.object({ userId: Id }).safeParse(req.params);
  if (!p.success || !(await allowed(req, { do: 'person.view', userId: p.data.userId }))) throw notFound();
  return p.data.userId;
}

/**
 * The same for a change: an account the admin sees but may not change (another university
 * administrator, a student now of another faculty) gets 403 with the reason, and nothing changes.
 */
export async function managedPersonOr403(req: FastifyRequest): Promise<number> {
  const id = await personOr404(req);
  if (!(await allowed(req, { do: 'person.manage', userId: id }))) throw new HttpError(403, 'people.managedAbove');
  return id;
}

/**
 * The card is often sent right after a change to the person's roles, group or links: their ties are
 * read again (not the request's facts from before the change), so it offers what the admin may do now.
 */
export async function sendPersonCard(req: FastifyRequest, reply: FastifyReply, id: number, o: Notice = {}, status = 200, draft?: Partial<NewPerson>) {
  const s = req.server.store;
  const before = await factsOf(req);
  const [person, roles, memberships, links, children, now] = await Promise.all([
    personDetails(s, id), rolesOf(s, id), membershipsOf(s, id), linksOfStudent(s, id), childrenOf(s, id),
    withObjects(s, { ...before, persons: new Map() }, { persons: [id] }),
  ]);
  const card = { person: person!, roles, memberships, links, children, canManage: can(now, { do: 'person.manage', userId: id }) };
  return reply.code(status).type('text/html').send(personPage(viewCtx(req), card, await adminChoices(req), o, draft).value);
}
