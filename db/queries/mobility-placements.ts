import { sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../store';
import { appendAudit } from './audit';
import type { Actor } from './records';
import { isMuted } from './notify-settings';

// A placement writes the student's excused period (reason "mobility", the order as its document): the
// journal, the summaries and admission already read that period, so the lessons it covers are excused
// once, with no make-up (the reason does not require one). Changing the placement moves the period.

export type Placement = {
  id: number; applicationId: number; studentId: number; partnerId: number; partnerRu: string; partnerEn: string;
  fromDate: string; toDate: string; orderNumber: string; excusedPeriodId: number | null; cancelledAt: number | null; facultyId: number;
};
const COLUMNS = sql`p.id, p.application_id AS "applicationId", p.student_id AS "studentId", p.partner_id AS "partnerId",
  m.name_ru AS "partnerRu", m.name_en AS "partnerEn", p.from_date AS "fromDate", p.to_date AS "toDate", p.order_number AS "orderNumber",
  p.excused_period_id AS "excusedPeriodId", p.cancelled_at AS "cancelledAt", a.faculty_id AS "facultyId"`;
const FROM = sql`mobility_placements p JOIN mobility_partners m ON m.id = p.partner_id JOIN mobility_applications a ON a.id = p.application_id`;
const numeric = (p: Placement): Placement => ({ ...p, cancelledAt: p.cancelledAt === null ? null : Number(p.cancelledAt) });

export async function placementById(s: Queryable, id: number): Promise<Placement | undefined> {
  const p = await s.get<Placement>(sql`SELECT ${COLUMNS} FROM ${FROM} WHERE p.id = ${id}`);
  return p ? numeric(p) : undefined;
}

export async function placementOfApplication(s: Queryable, applicationId: number): Promise<Placement | undefined> {
  const p = await s.get<Placement>(sql`SELECT ${COLUMNS} FROM ${FROM} WHERE p.application_id = ${applicationId}`);
  return p ? numeric(p) : undefined;
}

/** A student's placements, the cancelled ones too (the student sees what was changed). */
export async function placementsOfStudent(s: Queryable, studentId: number): Promise<Placement[]> {
  return (await s.all<Placement>(sql`SELECT ${COLUMNS} FROM ${FROM} WHERE p.student_id = ${studentId} ORDER BY p.from_date DESC`)).map(numeric);
}

/** The teachers of the courses with lessons the student was expected at within the dates, per course. */
async function teachersOfCoveredCourses(s: Queryable, studentId: number, from: string, to: string): Promise<{ teacherId: number; courseId: number; ru: string; en: string }[]> {
  return s.all(sql`SELECT DISTINCT ct.teacher_id AS "teacherId", c.id AS "courseId", sb.name_ru AS ru, sb.name_en AS en
    FROM lessons l JOIN courses c ON c.id = l.course_id JOIN subjects sb ON sb.id = c.subject_id
    JOIN course_groups cg ON cg.course_id = c.id
    JOIN group_memberships gm ON gm.group_id = cg.group_id AND gm.student_id = ${studentId}
      AND gm.from_date <= l.date AND (gm.to_date IS NULL OR gm.to_date >= l.date)
    JOIN course_teachers ct ON ct.course_id = c.id
    WHERE l.date >= ${from} AND l.date <= ${to} AND l.cancelled = ${false} AND (l.group_id IS NULL OR l.group_id = cg.group_id)
    ORDER BY c.id, ct.teacher_id`);
}

/** Tells each teacher of a covered course, in the writing transaction, once per course. */
async function notifyTeachers(tx: Tx, p: { studentId: number; partnerRu: string; partnerEn: string; fromDate: string; toDate: string }, range: { from: string; to: string }, change: string, auditId: number, now: number) {
  const student = (await tx.get<{ surname: string; givenName: string }>(sql`SELECT surname, given_name AS "givenName" FROM users WHERE id = ${p.studentId}`))!;
  for (const r of await teachersOfCoveredCourses(tx, p.studentId, range.from, range.to)) {
    if (await isMuted(tx, r.teacherId, 'mobility')) continue;
    const payload = { decision: change, partnerRu: p.partnerRu, partnerEn: p.partnerEn, date: p.fromDate, to: p.toDate, student: `${student.surname} ${student.givenName}`, subjectRu: r.ru, subjectEn: r.en };
    // No student_id: the notices' read filter shows a row about another student only through a guardian's link.
    await tx.run(sql`INSERT INTO notifications (user_id, kind, student_id, course_id, audit_id, payload, created_at)
      VALUES (${r.teacherId}, 'mobility', NULL, ${r.courseId}, ${auditId}, ${JSON.stringify(payload)}, ${now})`);
  }
}

export type NewPlacement = { applicationId: number; studentId: number; partnerId: number; partnerRu: string; partnerEn: string; fromDate: string; toDate: string; orderNumber: string };

export async function createPlacement(tx: Tx, p: NewPlacement, actor: Actor, now: number): Promise<number> {
  const reason = (await tx.get<{ id: number }>(sql`SELECT id FROM absence_reasons WHERE code = 'mobility'`))!;
  const period = (await tx.get<{ id: number }>(sql`INSERT INTO excused_periods (student_id, reason_id, from_date, to_date, document_ref, note, updated_by, updated_at)
    VALUES (${p.studentId}, ${reason.id}, ${p.fromDate}, ${p.toDate}, ${p.orderNumber}, ${p.partnerRu}, ${actor.id}, ${now}) RETURNING id`))!;
  const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO mobility_placements (application_id, student_id, partner_id, from_date, to_date,
      order_number, excused_period_id, updated_by, updated_at)
    VALUES (${p.applicationId}, ${p.studentId}, ${p.partnerId}, ${p.fromDate}, ${p.toDate}, ${p.orderNumber}, ${period.id}, ${actor.id}, ${now}) RETURNING id`))!;
  // Entity excused_period with the student's id: the change stream drops that student's journal rows.
  const audit = await appendAudit(tx, {
    actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'excused_period.create', entity: 'excused_period', entityId: period.id,
    studentId: p.studentId, after: { placementId: id, from: p.fromDate, to: p.toDate, orderNumber: p.orderNumber, partnerId: p.partnerId }, reason: p.orderNumber,
  });
  await notifyTeachers(tx, p, { from: p.fromDate, to: p.toDate }, 'placement', audit.id, now);
  return id;
}

/** Shortens a placement (new dates inside the old ones) or cancels it; the excusal follows, audited with the reason. */
export async function changePlacement(tx: Tx, p: Placement, change: { kind: 'shorten'; fromDate: string; toDate: string } | { kind: 'cancel' }, reason: string, actor: Actor, now: number): Promise<void> {
  const before = { from: p.fromDate, to: p.toDate, cancelled: p.cancelledAt !== null };
  if (change.kind === 'cancel') {
    await tx.run(sql`UPDATE mobility_placements SET cancelled_at = ${now}, excused_period_id = NULL, version = version + 1, updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${p.id}`);
    if (p.excusedPeriodId !== null) await tx.run(sql`DELETE FROM excused_periods WHERE id = ${p.excusedPeriodId}`);
  } else {
    await tx.run(sql`UPDATE mobility_placements SET from_date = ${change.fromDate}, to_date = ${change.toDate}, version = version + 1,
      updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${p.id}`);
    if (p.excusedPeriodId !== null) {
      await tx.run(sql`UPDATE excused_periods SET from_date = ${change.fromDate}, to_date = ${change.toDate}, version = version + 1,
        updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${p.excusedPeriodId}`);
    }
  }
  const after = change.kind === 'cancel' ? { ...before, cancelled: true } : { from: change.fromDate, to: change.toDate, cancelled: false };
  const audit = await appendAudit(tx, {
    actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: change.kind === 'cancel' ? 'excused_period.cancel' : 'excused_period.shorten',
    entity: 'excused_period', entityId: p.excusedPeriodId, studentId: p.studentId, before, after: { placementId: p.id, ...after }, reason,
  });
  // The teachers of the courses whose lessons are no longer excused hear of it.
  await notifyTeachers(tx, { ...p, ...(change.kind === 'shorten' ? change : {}) }, { from: p.fromDate, to: p.toDate }, change.kind, audit.id, now);
}

/** The placements report's filter: the faculties in scope (a dean's office: its own), a partner, a period the placements overlap. */
export type PlacementFilter = { facultyIds: number[] | 'all'; partnerId: number | null; from: string | null; to: string | null };
export type PlacementReportRow = {
  id: number; facultyId: number; facultyRu: string; facultyEn: string; partnerId: number; partnerRu: string; partnerEn: string; country: string;
  fromDate: string; toDate: string; orderNumber: string; cancelled: boolean; studentId: number; surname: string; givenName: string; nameLatin: string | null;
  patronymic: string | null; groupName: string | null; recognised: number;
};

/** Placements per faculty, partner and period, cancelled ones too (marked), by faculty, partner and start. */
export async function placementsReport(s: Queryable, f: PlacementFilter): Promise<PlacementReportRow[]> {
  if (f.facultyIds !== 'all' && f.facultyIds.length === 0) return [];
  const where = [sql`1 = 1`];
  if (f.facultyIds !== 'all') where.push(sql`a.faculty_id IN (${sql.join(f.facultyIds.map((x) => sql`${x}`), sql`, `)})`);
  if (f.partnerId !== null) where.push(sql`p.partner_id = ${f.partnerId}`);
  if (f.to !== null) where.push(sql`p.from_date <= ${f.to}`);
  if (f.from !== null) where.push(sql`p.to_date >= ${f.from}`);
  const rows = await s.all<PlacementReportRow & { cancelledAt: number | null }>(sql`SELECT p.id, a.faculty_id AS "facultyId", fa.name_ru AS "facultyRu",
      fa.name_en AS "facultyEn", p.partner_id AS "partnerId", m.name_ru AS "partnerRu", m.name_en AS "partnerEn", m.country,
      p.from_date AS "fromDate", p.to_date AS "toDate", p.order_number AS "orderNumber", p.cancelled_at AS "cancelledAt", p.student_id AS "studentId",
      u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic,
      (SELECT g.name FROM group_memberships gm JOIN groups g ON g.id = gm.group_id WHERE gm.student_id = p.student_id AND gm.to_date IS NULL
        ORDER BY gm.from_date DESC LIMIT 1) AS "groupName",
      (SELECT count(*) FROM mobility_recognitions r WHERE r.placement_id = p.id) AS recognised
    FROM mobility_placements p JOIN mobility_applications a ON a.id = p.application_id JOIN mobility_partners m ON m.id = p.partner_id
    JOIN faculties fa ON fa.id = a.faculty_id JOIN users u ON u.id = p.student_id
    WHERE ${sql.join(where, sql` AND `)} ORDER BY fa.id, m.name_en, p.from_date, u.surname, p.id`);
  return rows.map(({ cancelledAt, ...r }) => ({ ...r, cancelled: cancelledAt !== null, recognised: Number(r.recognised) }));
}
