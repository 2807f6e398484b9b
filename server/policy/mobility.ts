// Who does what in academic mobility (issue 17). The catalogue of partners and the calls are the
// university administration's (its international relations office); each faculty's dean's office sees
// and decides on its own faculty's applicants only; a student sees and makes only their own applications.
import type { CurrentUser } from '../../db/queries/users';
import { adminCoversFaculty, adminScope, hasRole } from './decide';

/** Partners and calls are created by the university administration alone. */
export const mayKeepMobilityCatalogue = (user: CurrentUser | null) => adminScope(user) === 'university';

/** An application is seen, scored and decided by an admin covering the faculty it was made in. */
export const mayDecideApplication = (user: CurrentUser | null, a: { facultyId: number }) => adminCoversFaculty(user, a.facultyId);

/** A student applies for themself; nobody applies on another's behalf. */
export const mayApplyForMobility = (user: CurrentUser | null) => hasRole(user, 'student');

