import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { viewCtx } from '../plugins/request-context';
import { adminFacultiesOr404 } from '../policy/require';
import { can } from '../policy';
import { HttpError, notFound } from '../http-error';
import { Id } from '../forms';
import { personDetails, rolesOf, membershipsOf, childrenOf, groupChoices, departmentChoices, facultyChoices, type NewPerson } from '../../db/queries/admin-people';
import { linksOfStudent } from '../../db/queries/guardians';
import { personPage, type Choices } from '../../views/people/person';
import type { Notice } from '../../views/layout/notice';

// The person card is answered by several routes (details, roles, group, guardians, and the
// disable/enable/reset actions when pressed on the card), so it is rendered in one place.

/** What the admin's forms may offer: every list is already cut to their faculties. Non-admins: 404. */
export function adminChoices(req: FastifyRequest): Choices {
  const f = adminFacultiesOr404(req.user);
  const db = req.server.db;
  return { groups: groupChoices(db, f), departments: departmentChoices(db, f), faculties: facultyChoices(db, f), canGrantAdmin: f === 'all' };
}

/** The `:userId` of a person route, looked up through the policy: someone the admin may not see is not there. */
export function personOr404(req: FastifyRequest): number {
  const p = z.object({ userId: Id }).safeParse(req.params);
  if (!p.success || !can(req.server.db, req.user, { do: 'person.view', userId: p.data.userId })) throw notFound();
  return p.data.userId;
}

/**
 * The same for a change: an account the admin sees but may not change (another university
 * administrator, a student now of another faculty) gets 403 with the reason, and nothing changes.
 */
export function managedPersonOr403(req: FastifyRequest): number {
  const id = personOr404(req);
  if (!can(req.server.db, req.user, { do: 'person.manage', userId: id })) throw new HttpError(403, 'people.managedAbove');
  return id;
}

export function sendPersonCard(req: FastifyRequest, reply: FastifyReply, id: number, o: Notice = {}, status = 200, draft?: Partial<NewPerson>) {
  const db = req.server.db;
  const card = {
    person: personDetails(db, id)!, roles: rolesOf(db, id), memberships: membershipsOf(db, id), links: linksOfStudent(db, id), children: childrenOf(db, id),
    canManage: can(db, req.user, { do: 'person.manage', userId: id }),
  };
  return reply.code(status).type('text/html').send(personPage(viewCtx(req), card, adminChoices(req), o, draft).value);
}
