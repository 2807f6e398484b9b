// A course as the request's user may reach it: through the policy, someone else's course is simply not there.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { allowed } from '../policy';
import { notFound } from '../http-error';

const CourseParams = z.object({ courseId: Id });

/** Looks the course of the route's :courseId up through the policy: someone else's course is simply not there (404). */
export async function courseForViewer(req: FastifyRequest): Promise<number> {
  const p = CourseParams.safeParse(req.params);
  if (!p.success || !(await allowed(req, { do: 'journal.view', courseId: p.data.courseId }))) throw notFound();
  return p.data.courseId;
}
