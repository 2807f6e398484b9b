import type { CurrentUser } from '../../db/queries/users';
import { notFound } from '../http-error';
import { adminFacultyIds } from './index';

/**
 * The faculties an admin page is filtered to; anyone who is not an admin gets 404, as if the page
 * did not exist. Every admin route starts here.
 */
export function adminFacultiesOr404(user: CurrentUser | null): number[] | 'all' {
  const faculties = adminFacultyIds(user);
  if (!faculties) throw notFound();
  return faculties;
}
