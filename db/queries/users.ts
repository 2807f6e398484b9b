import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import { users, userRoles, type Role } from '../schema';

export type User = typeof users.$inferSelect;
export type RoleGrant = { role: Role; facultyId: number | null; departmentId: number | null };
export type CurrentUser = Pick<User, 'id' | 'email' | 'surname' | 'givenName' | 'patronymic' | 'lang' | 'timeZone' | 'lastSeenAt'> & {
  roles: RoleGrant[];
};

export async function userByEmail(s: Queryable, email: string): Promise<User | undefined> {
  return (await s.db.select().from(users).where(eq(sql`lower(${users.email})`, email.trim().toLowerCase())).limit(1))[0];
}

/** The signed-in user with every role grant, or undefined when missing or disabled. */
export async function currentUserById(s: Queryable, id: number): Promise<CurrentUser | undefined> {
  const u = (await s.db.select().from(users).where(eq(users.id, id)).limit(1))[0];
  if (!u || u.disabled) return undefined;
  const roles = await s.db
    .select({ role: userRoles.role, facultyId: userRoles.facultyId, departmentId: userRoles.departmentId })
    .from(userRoles)
    .where(eq(userRoles.userId, id));
  return {
    id: u.id, email: u.email, surname: u.surname, givenName: u.givenName, patronymic: u.patronymic,
    lang: u.lang, timeZone: u.timeZone, lastSeenAt: u.lastSeenAt, roles,
  };
}
