import { sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../store';
import { appendAudit } from './audit';
import type { Actor } from './records';
import { isMuted } from './notify-settings';
import type { MobilityDecision, mobilityPartners } from '../schema';

// Academic mobility (issue 17): partner universities, calls with quotas per faculty, applications
// and the dean's office's decisions on them. Every write carries its audit row; a decision also
// notifies the applicant, in the same transaction.

export type Partner = Omit<typeof mobilityPartners.$inferSelect, 'version' | 'updatedBy' | 'updatedAt'>;
const PARTNER_COLUMNS = sql`id, name_original AS "nameOriginal", name_ru AS "nameRu", name_en AS "nameEn", country,
  agreement_number AS "agreementNumber", agreement_from AS "agreementFrom", agreement_to AS "agreementTo"`;

export async function listPartners(s: Queryable): Promise<Partner[]> {
  return s.all<Partner>(sql`SELECT ${PARTNER_COLUMNS} FROM mobility_partners ORDER BY country, name_en`);
}

export async function partnerById(s: Queryable, id: number): Promise<Partner | undefined> {
  return s.get<Partner>(sql`SELECT ${PARTNER_COLUMNS} FROM mobility_partners WHERE id = ${id}`);
}

export async function agreementNumberTaken(s: Queryable, no: string): Promise<boolean> {
  return !!(await s.get(sql`SELECT 1 AS one FROM mobility_partners WHERE lower(agreement_number) = lower(${no})`));
}

export async function createPartner(tx: Tx, p: Omit<Partner, 'id'>, actor: Actor, now: number): Promise<number> {
  const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO mobility_partners (name_original, name_ru, name_en, country,
      agreement_number, agreement_from, agreement_to, updated_by, updated_at)
    VALUES (${p.nameOriginal}, ${p.nameRu}, ${p.nameEn}, ${p.country}, ${p.agreementNumber}, ${p.agreementFrom}, ${p.agreementTo},
      ${actor.id}, ${now}) RETURNING id`))!;
  await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'mobility_partner.create', entity: 'mobility_partner', entityId: id, after: p });
  return id;
}

export type Call = {
  id: number; partnerId: number; partnerRu: string; partnerEn: string; partnerOriginal: string; country: string;
  fromDate: string; toDate: string; programme: string; year: number; deadline: string; weights: string;
  quotas: { facultyId: number; nameRu: string; nameEn: string; places: number; applicants: number; selected: number }[];
};
type CallRow = Omit<Call, 'quotas'>;
const CALL_COLUMNS = sql`c.id, c.partner_id AS "partnerId", p.name_ru AS "partnerRu", p.name_en AS "partnerEn",
  p.name_original AS "partnerOriginal", p.country, c.from_date AS "fromDate", c.to_date AS "toDate", c.programme, c.year,
  c.deadline, c.weights`;

async function withQuotas(s: Queryable, rows: CallRow[]): Promise<Call[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const quotas = await s.all<Call['quotas'][number] & { callId: number }>(sql`SELECT q.call_id AS "callId", q.faculty_id AS "facultyId",
      f.name_ru AS "nameRu", f.name_en AS "nameEn", q.places,
      (SELECT count(*) FROM mobility_applications a WHERE a.call_id = q.call_id AND a.faculty_id = q.faculty_id) AS applicants,
      (SELECT count(*) FROM mobility_applications a WHERE a.call_id = q.call_id AND a.faculty_id = q.faculty_id AND a.decision = 'selected') AS selected
    FROM mobility_quotas q JOIN faculties f ON f.id = q.faculty_id
    WHERE q.call_id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)}) ORDER BY f.id`);
  return rows.map((r) => ({
    ...r, quotas: quotas.filter((q) => q.callId === r.id).map(({ callId: _c, ...q }) => ({ ...q, applicants: Number(q.applicants), selected: Number(q.selected) })),
  }));
}

export async function listCalls(s: Queryable): Promise<Call[]> {
  return withQuotas(s, await s.all<CallRow>(sql`SELECT ${CALL_COLUMNS} FROM mobility_calls c JOIN mobility_partners p ON p.id = c.partner_id
    ORDER BY c.from_date DESC, c.id DESC`));
}

export async function callById(s: Queryable, id: number): Promise<Call | undefined> {
  const row = await s.get<CallRow>(sql`SELECT ${CALL_COLUMNS} FROM mobility_calls c JOIN mobility_partners p ON p.id = c.partner_id WHERE c.id = ${id}`);
  return row ? (await withQuotas(s, [row]))[0] : undefined;
}

export type NewCall = { partnerId: number; fromDate: string; toDate: string; programme: string; year: number; deadline: string; weights: string };

export async function createCall(tx: Tx, c: NewCall, quotas: { facultyId: number; places: number }[], actor: Actor, now: number): Promise<number> {
  const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO mobility_calls (partner_id, from_date, to_date, programme, year, deadline, weights, updated_by, updated_at)
    VALUES (${c.partnerId}, ${c.fromDate}, ${c.toDate}, ${c.programme}, ${c.year}, ${c.deadline}, ${c.weights}, ${actor.id}, ${now}) RETURNING id`))!;
  for (const q of quotas) await tx.run(sql`INSERT INTO mobility_quotas (call_id, faculty_id, places) VALUES (${id}, ${q.facultyId}, ${q.places})`);
  await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'mobility_call.create', entity: 'mobility_call', entityId: id, after: { ...c, quotas } });
  return id;
}

/** The group a student belongs to today, with what a call's eligibility looks at. */
export type StudentGroupNow = { groupId: number; groupName: string; facultyId: number; programme: string; year: number };

export async function studentGroupNow(s: Queryable, studentId: number, today: string): Promise<StudentGroupNow | undefined> {
  return s.get<StudentGroupNow>(sql`SELECT g.id AS "groupId", g.name AS "groupName", g.faculty_id AS "facultyId", g.programme, g.year
    FROM group_memberships m JOIN groups g ON g.id = m.group_id
    WHERE m.student_id = ${studentId} AND m.from_date <= ${today} AND (m.to_date IS NULL OR m.to_date >= ${today})
    ORDER BY m.from_date DESC LIMIT 1`);
}

export type Application = {
  id: number; callId: number; studentId: number; facultyId: number; motivation: string; appliedAt: number;
  activityPoints: number; achievementPoints: number; pointsNote: string | null;
  decision: MobilityDecision; decisionReason: string | null; decidedAt: number | null; version: number;
  surname: string; givenName: string; nameLatin: string | null; patronymic: string | null; groupName: string | null;
};
const APPLICATION_COLUMNS = sql`a.id, a.call_id AS "callId", a.student_id AS "studentId", a.faculty_id AS "facultyId", a.motivation,
  a.applied_at AS "appliedAt", a.activity_points AS "activityPoints", a.achievement_points AS "achievementPoints",
  a.points_note AS "pointsNote", a.decision, a.decision_reason AS "decisionReason", a.decided_at AS "decidedAt", a.version,
  u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic,
  (SELECT g.name FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = a.student_id AND m.to_date IS NULL
    ORDER BY m.from_date DESC LIMIT 1) AS "groupName"`;

const numeric = (a: Application): Application => ({ ...a, appliedAt: Number(a.appliedAt), decidedAt: a.decidedAt === null ? null : Number(a.decidedAt) });

export async function applicationById(s: Queryable, id: number): Promise<Application | undefined> {
  const a = await s.get<Application>(sql`SELECT ${APPLICATION_COLUMNS} FROM mobility_applications a JOIN users u ON u.id = a.student_id WHERE a.id = ${id}`);
  return a ? numeric(a) : undefined;
}

/** The applicants of one call from the given faculties ('all' for the university administration). */
export async function applicationsOfCall(s: Queryable, callId: number, facultyIds: number[] | 'all'): Promise<Application[]> {
  if (facultyIds !== 'all' && facultyIds.length === 0) return [];
  const scope = facultyIds === 'all' ? sql`` : sql` AND a.faculty_id IN (${sql.join(facultyIds.map((f) => sql`${f}`), sql`, `)})`;
  return (await s.all<Application>(sql`SELECT ${APPLICATION_COLUMNS} FROM mobility_applications a JOIN users u ON u.id = a.student_id
    WHERE a.call_id = ${callId}${scope} ORDER BY a.id`)).map(numeric);
}

export async function applicationsOfStudent(s: Queryable, studentId: number): Promise<Application[]> {
  return (await s.all<Application>(sql`SELECT ${APPLICATION_COLUMNS} FROM mobility_applications a JOIN users u ON u.id = a.student_id
    WHERE a.student_id = ${studentId} ORDER BY a.id DESC`)).map(numeric);
}

export async function apply(tx: Tx, a: { callId: number; studentId: number; facultyId: number; motivation: string }, actor: Actor, now: number): Promise<number> {
  const row = await tx.get<{ id: number }>(sql`INSERT INTO mobility_applications (call_id, student_id, faculty_id, motivation, applied_at, updated_by, updated_at)
    VALUES (${a.callId}, ${a.studentId}, ${a.facultyId}, ${a.motivation}, ${now}, ${actor.id}, ${now})
    ON CONFLICT (call_id, student_id) DO NOTHING RETURNING id`);
  if (!row) return 0; // applied already (two tabs at once): once per call
  await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'mobility_application.create', entity: 'mobility_application', entityId: row.id, studentId: a.studentId, after: a });
  return row.id;
}

export async function setPoints(tx: Tx, a: Application, p: { activityPoints: number; achievementPoints: number; note: string }, actor: Actor, now: number): Promise<void> {
  await tx.run(sql`UPDATE mobility_applications SET activity_points = ${p.activityPoints}, achievement_points = ${p.achievementPoints},
    points_note = ${p.note}, version = version + 1, updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${a.id}`);
  await appendAudit(tx, {
    actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'mobility_application.points', entity: 'mobility_application',
    entityId: a.id, studentId: a.studentId, before: { activityPoints: a.activityPoints, achievementPoints: a.achievementPoints, note: a.pointsNote },
    after: { activityPoints: p.activityPoints, achievementPoints: p.achievementPoints, note: p.note }, reason: p.note,
  });
}

/**
 * The dean's office's decision, audited with its reason; the applicant is told unless they muted it.
 * Refused inside the transaction: a selection beyond the faculty's places ('full': the quota row is locked
 * first, so two offices selecting at once cannot both take the last place), and taking back a selection
 * whose placement is still recorded ('placed': the placement is cancelled first, which lifts its excusal).
 */
export async function decide(tx: Tx, a: Application, call: Call, d: { decision: Exclude<MobilityDecision, 'pending'>; reason: string }, actor: Actor,
  now: number): Promise<'ok' | 'full' | 'placed'> {
  const quota = await tx.get<{ places: number }>(sql`UPDATE mobility_quotas SET places = places
    WHERE call_id = ${a.callId} AND faculty_id = ${a.facultyId} RETURNING places`);
  const current = (await tx.get<{ decision: MobilityDecision }>(sql`SELECT decision FROM mobility_applications WHERE id = ${a.id}`))!.decision;
  if (d.decision === 'selected' && current !== 'selected') {
    const taken = await tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM mobility_applications
      WHERE call_id = ${a.callId} AND faculty_id = ${a.facultyId} AND decision = 'selected'`);
    if (Number(taken!.n) >= (quota?.places ?? 0)) return 'full';
  }
  if (d.decision !== 'selected' && current === 'selected') {
    const live = await tx.get(sql`SELECT 1 AS one FROM mobility_placements WHERE application_id = ${a.id} AND cancelled_at IS NULL`);
    if (live) return 'placed';
  }
  await tx.run(sql`UPDATE mobility_applications SET decision = ${d.decision}, decision_reason = ${d.reason}, decided_by = ${actor.id},
    decided_at = ${now}, version = version + 1, updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${a.id}`);
  const audit = await appendAudit(tx, {
    actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'mobility_application.decide', entity: 'mobility_application',
    entityId: a.id, studentId: a.studentId, before: { decision: a.decision, reason: a.decisionReason }, after: d, reason: d.reason,
  });
  if (await isMuted(tx, a.studentId, 'mobility')) return 'ok';
  const payload = { decision: d.decision, partnerRu: call.partnerRu, partnerEn: call.partnerEn, date: call.fromDate };
  await tx.run(sql`INSERT INTO notifications (user_id, kind, student_id, course_id, audit_id, payload, created_at)
    VALUES (${a.studentId}, 'mobility', ${a.studentId}, NULL, ${audit.id}, ${JSON.stringify(payload)}, ${now})`);
  return 'ok';
}

/** Placements per faculty, partner and period, and the quota used: the selected applications. */
export type QuotaUse = { callId: number; partnerRu: string; partnerEn: string; fromDate: string; toDate: string; facultyRu: string; facultyEn: string; places: number; selected: number; applicants: number };

export async function quotaUse(s: Queryable, facultyIds: number[] | 'all'): Promise<QuotaUse[]> {
  if (facultyIds !== 'all' && facultyIds.length === 0) return [];
  const scope = facultyIds === 'all' ? sql`` : sql` WHERE q.faculty_id IN (${sql.join(facultyIds.map((f) => sql`${f}`), sql`, `)})`;
  const rows = await s.all<QuotaUse>(sql`SELECT c.id AS "callId", p.name_ru AS "partnerRu", p.name_en AS "partnerEn", c.from_date AS "fromDate",
      c.to_date AS "toDate", f.name_ru AS "facultyRu", f.name_en AS "facultyEn", q.places,
      (SELECT count(*) FROM mobility_applications a WHERE a.call_id = q.call_id AND a.faculty_id = q.faculty_id AND a.decision = 'selected') AS selected,
      (SELECT count(*) FROM mobility_applications a WHERE a.call_id = q.call_id AND a.faculty_id = q.faculty_id) AS applicants
    FROM mobility_quotas q JOIN mobility_calls c ON c.id = q.call_id JOIN mobility_partners p ON p.id = c.partner_id
    JOIN faculties f ON f.id = q.faculty_id${scope} ORDER BY c.from_date DESC, p.name_en, f.id`);
  return rows.map((r) => ({ ...r, selected: Number(r.selected), applicants: Number(r.applicants) }));
}

/** Edits a partner (names, country, agreement), audited with the before; closing its agreement is an edit of agreement_to. */
export async function updatePartner(tx: Tx, before: Partner, p: Omit<Partner, 'id'>, action: 'edit' | 'close', actor: Actor, now: number): Promise<void> {
  await tx.run(sql`UPDATE mobility_partners SET name_original = ${p.nameOriginal}, name_ru = ${p.nameRu}, name_en = ${p.nameEn}, country = ${p.country},
    agreement_number = ${p.agreementNumber}, agreement_from = ${p.agreementFrom}, agreement_to = ${p.agreementTo}, version = version + 1,
    updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${before.id}`);
  const { id: _id, ...was } = before;
  await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: `mobility_partner.${action}`, entity: 'mobility_partner', entityId: before.id, before: was, after: p });
}

export async function agreementNumberTakenByOther(s: Queryable, no: string, partnerId: number): Promise<boolean> {
  return !!(await s.get(sql`SELECT 1 AS one FROM mobility_partners WHERE lower(agreement_number) = lower(${no}) AND id <> ${partnerId}`));
}

/**
 * Edits a call's dates and places (closing it early is an edit of the deadline), audited with the before.
 * A faculty's quota row goes when its places go to 0 (the route has checked it has no applicants).
 */
export async function updateCall(tx: Tx, call: Call, c: { fromDate: string; toDate: string; deadline: string }, quotas: { facultyId: number; places: number }[],
  action: 'edit' | 'close', actor: Actor, now: number): Promise<void> {
  await tx.run(sql`UPDATE mobility_calls SET from_date = ${c.fromDate}, to_date = ${c.toDate}, deadline = ${c.deadline}, version = version + 1,
    updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${call.id}`);
  for (const q of quotas) {
    const had = call.quotas.some((x) => x.facultyId === q.facultyId);
    if (q.places === 0) await tx.run(sql`DELETE FROM mobility_quotas WHERE call_id = ${call.id} AND faculty_id = ${q.facultyId}`);
    else if (had) await tx.run(sql`UPDATE mobility_quotas SET places = ${q.places} WHERE call_id = ${call.id} AND faculty_id = ${q.facultyId}`);
    else await tx.run(sql`INSERT INTO mobility_quotas (call_id, faculty_id, places) VALUES (${call.id}, ${q.facultyId}, ${q.places})`);
  }
  await appendAudit(tx, {
    actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: `mobility_call.${action}`, entity: 'mobility_call', entityId: call.id,
    before: { fromDate: call.fromDate, toDate: call.toDate, deadline: call.deadline, quotas: call.quotas.map((q) => ({ facultyId: q.facultyId, places: q.places })) },
    after: { ...c, quotas: quotas.filter((q) => q.places > 0) },
  });
}
