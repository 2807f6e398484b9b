// What access depends on, loaded once per request (or per push) and then decided purely (decide.ts).
// A request asks for the objects it touches; their facts are added to the same record, each once.
import type { CurrentUser } from '../../db/queries/users';
import type { LinkScope } from '../../db/schema';
import type { Queryable } from '../../db/store';
import { personTiesOf, type PersonTies } from '../../db/queries/people';
import {
  loadCourseFacts, loadStudentFacts, loadUserFacts, type CourseFacts, type StudentFacts,
} from '../../db/queries/policy-facts';

export type { CourseFacts, StudentFacts };

export type Facts = {
  user: CurrentUser | null;
  teaches: Set<number>;
  links: Map<number, LinkScope>;
  /** Loaded objects; an id mapped to null does not exist (or is not a student). */
  courses: Map<number, CourseFacts | null>;
  students: Map<number, StudentFacts | null>;
  /** What ties an account to faculties (server/policy/person.ts); null: no such account. */
  persons: Map<number, PersonTies | null>;
};

export type Needs = { courses?: number[]; students?: number[]; persons?: number[] };

export function emptyFacts(user: CurrentUser | null): Facts {
  return { user, teaches: new Set(), links: new Map(), courses: new Map(), students: new Map(), persons: new Map() };
}

export async function loadFacts(s: Queryable, user: CurrentUser | null): Promise<Facts> {
  const f = emptyFacts(user);
  if (!user) return f;
  const u = await loadUserFacts(s, user.id);
  f.teaches = u.teaches;
  f.links = u.links;
  return f;
}

/** Adds the facts of the objects not loaded yet (in place) and returns the same record. */
export async function withObjects(s: Queryable, f: Facts, needs: Needs): Promise<Facts> {
  const courses = [...new Set(needs.courses ?? [])].filter((id) => !f.courses.has(id));
  const students = [...new Set(needs.students ?? [])].filter((id) => !f.students.has(id));
  if (courses.length > 0) {
    const got = await loadCourseFacts(s, courses);
    for (const id of courses) f.courses.set(id, got.get(id) ?? null);
  }
  if (students.length > 0) {
    const got = await loadStudentFacts(s, students);
    for (const id of students) f.students.set(id, got.get(id) ?? null);
  }
  const persons = [...new Set(needs.persons ?? [])].filter((id) => !f.persons.has(id));
  if (persons.length > 0) {
    const got = await personTiesOf(s, persons);
    for (const id of persons) f.persons.set(id, got.get(id) ?? null);
  }
  return f;
}
