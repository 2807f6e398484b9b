// The people list's filters from its query string. A list is a GET: a bad value drops that filter
// rather than refusing the page, so an old bookmark still opens.
import { z } from 'zod';
import { ROLES } from '../../db/schema';
import type { PeopleFilter } from '../../db/queries/people';
import { Id } from '../params';

const Filter = z.object({
  q: z.string().trim().max(100).catch('').default(''),
  role: z.enum(ROLES).nullable().catch(null).default(null),
  faculty: Id.nullable().catch(null).default(null),
  group: Id.nullable().catch(null).default(null),
});

export function peopleFilterOf(query: unknown): PeopleFilter {
  const f = Filter.parse(query && typeof query === 'object' ? query : {});
  return { q: f.q, role: f.role, facultyId: f.faculty, groupId: f.group };
}

