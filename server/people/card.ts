import type { FastifyReply, FastifyRequest } from 'fastify';
import { viewCtx } from '../plugins/request-context';
import { adminFacultiesOr404 } from '../policy/require';
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

export function sendPersonCard(req: FastifyRequest, reply: FastifyReply, id: number, o: Notice = {}, status = 200, draft?: Partial<NewPerson>) {
  const db = req.server.db;
  const card = { person: personDetails(db, id)!, roles: rolesOf(db, id), memberships: membershipsOf(db, id), links: linksOfStudent(db, id), children: childrenOf(db, id) };
  return reply.code(status).type('text/html').send(personPage(viewCtx(req), card, adminChoices(req), o, draft).value);
}
