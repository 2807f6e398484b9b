import { eq, sql } from 'drizzle-orm';
import type { DB } from '../client';
import { users, userRoles, type Role } from '../schema';

export type User = typeof users.$inferSelect;
export type RoleGrant = { role: Role; facultyId: number | null; departmentId: number | null };
export type CurrentUser = Pick<User, 'id' | 'email' | 'surname' | 'givenName' | 'patronymic' | 'lang' | 'timeZone' | 'lastSeenAt'> & {
  roles: RoleGrant[];
};

export function userByEmail(db: DB, email: string): User | undefined {
  return db.select().from(users).where(eq(sql`lower(${users.email})`, email.trim().toLowerCase())).get();
}

/** The signed-in user with every role grant, or undefined when missing or disabled. */
export function currentUserById(db: DB, id: number): CurrentUser | undefined {
  const u = db.select().from(users).where(eq(users.id, id)).get();
  if (!u || u.disabled) return undefined;
  const roles = db
    .select({ role: userRoles.role, facultyId: userRoles.facultyId, departmentId: userRoles.departmentId })
    .from(userRoles)
    .where(eq(userRoles.userId, id))
    .all();
  return {
    id: u.id, email: u.email, surname: u.surname, givenName: u.givenName, patronymic: u.patronymic,
    lang: u.lang, timeZone: u.timeZone, lastSeenAt: u.lastSeenAt, roles,
  };
}
