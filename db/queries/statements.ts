// Exam and credit statements (issue 16): the document, its examiners and results, closing, counter-signing,
// and the academic debts a closed statement leaves. Every write appends its audit row in the same transaction.
import { sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../store';
import type { ResultOutcome, StatementKind, StatementStatus } from '../schema';
import { valuesList } from '../sql-dialect';
import { appendAudit, lockAuditHead } from './audit';
import { resultFigures, type ResultFigures } from '../../server/domain/session';
import type { Scale } from '../../server/domain/types';
import type { Actor } from './records';

export type Statement = {
  id: number; number: string; courseId: number; groupId: number | null; groupName: string | null; kind: StatementKind; date: string;
  attempt: number; status: StatementStatus; version: number; closedAt: number | null; countersignedAt: number | null;
  subjectRu: string; subjectEn: string; termId: number; termNameRu: string; termNameEn: string;
  examiners: { id: number; surname: string; givenName: string; nameLatin: string | null; patronymic: string | null; position: number }[];
  /** Every faculty the statement's students' groups belong to (through the course's groups). */
  facultyIds: number[];
};
export type StatementResult = {
  studentId: number; surname: string; givenName: string; nameLatin: string | null; patronymic: string | null; recordBook: string | null;
  outcome: ResultOutcome | null; mark: number | null; finalMark: number | null; version: number;
};

const HEAD = sql`SELECT st.id, st.number, st.course_id AS "courseId", st.group_id AS "groupId", g.name AS "groupName", st.kind, st.date, st.attempt,
    st.status, st.version, st.closed_at AS "closedAt", st.countersigned_at AS "countersignedAt", s.name_ru AS "subjectRu", s.name_en AS "subjectEn",
    c.term_id AS "termId", t.name_ru AS "termNameRu", t.name_en AS "termNameEn"
  FROM statements st JOIN courses c ON c.id = st.course_id JOIN subjects s ON s.id = c.subject_id JOIN terms t ON t.id = c.term_id
  LEFT JOIN groups g ON g.id = st.group_id`;

type Head = Omit<Statement, 'examiners' | 'facultyIds'>;

async function complete(s: Queryable, heads: Head[]): Promise<Statement[]> {
  if (heads.length === 0) return [];
  const ids = heads.map((h) => h.id);
  const ex = await s.all<Statement['examiners'][number] & { statementId: number }>(sql`SELECT e.statement_id AS "statementId", u.id, u.surname,
      u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic, e.position FROM statement_examiners e JOIN users u ON u.id = e.teacher_id
    WHERE e.statement_id IN (${valuesList(ids)}) ORDER BY e.position`);
  const fac = await s.all<{ courseId: number; facultyId: number }>(sql`SELECT DISTINCT cg.course_id AS "courseId", g.faculty_id AS "facultyId"
    FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id IN (${valuesList([...new Set(heads.map((h) => h.courseId))])})`);
  return heads.map((h) => ({
    ...h,
    examiners: ex.filter((e) => e.statementId === h.id).map(({ statementId: _, ...e }) => e),
    facultyIds: fac.filter((f) => f.courseId === h.courseId).map((f) => f.facultyId),
  }));
}

export async function statementById(s: Queryable, id: number): Promise<Statement | undefined> {
  const h = await s.get<Head>(sql`${HEAD} WHERE st.id = ${id}`);
  return h ? (await complete(s, [h]))[0] : undefined;
}

export async function courseStatements(s: Queryable, courseId: number): Promise<Statement[]> {
  return complete(s, await s.all<Head>(sql`${HEAD} WHERE st.course_id = ${courseId} ORDER BY st.date, st.id`));
}

/** Statements a teacher examines (their home and "my statements"), newest first. */
export async function examinerStatements(s: Queryable, teacherId: number): Promise<Statement[]> {
  return complete(s, await s.all<Head>(sql`${HEAD} WHERE st.id IN (SELECT statement_id FROM statement_examiners WHERE teacher_id = ${teacherId})
    ORDER BY st.date DESC, st.id DESC`));
}

export async function statementResults(s: Queryable, statementId: number): Promise<StatementResult[]> {
  return s.all<StatementResult>(sql`SELECT r.student_id AS "studentId", u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic, u.record_book AS "recordBook",
      r.outcome, r.mark, r.final_mark AS "finalMark", r.version
    FROM statement_results r JOIN users u ON u.id = r.student_id WHERE r.statement_id = ${statementId} ORDER BY u.surname, u.given_name, u.id`);
}

/**
 * Each student's results in the course on closed statements, oldest first: what the next attempt number
 * and the record book are counted from.
 */
export async function closedAttempts(s: Queryable, courseId: number, studentIds: number[]): Promise<Map<number, { outcome: ResultOutcome; mark: number | null }[]>> {
  const out = new Map<number, { outcome: ResultOutcome; mark: number | null }[]>(studentIds.map((id) => [id, []]));
  if (studentIds.length === 0) return out;
  const rows = await s.all<{ studentId: number; outcome: ResultOutcome; mark: number | null }>(sql`SELECT r.student_id AS "studentId", r.outcome, r.mark
    FROM statement_results r JOIN statements st ON st.id = r.statement_id
    WHERE st.course_id = ${courseId} AND st.status <> 'open' AND r.outcome IS NOT NULL AND r.student_id IN (${valuesList(studentIds)})
    ORDER BY st.date, st.attempt, st.id`);
  for (const r of rows) out.get(r.studentId)!.push({ outcome: r.outcome, mark: r.mark });
  return out;
}

/** Students already on an open statement of the course: a second one for them would be two documents for one exam. */
export async function studentsOnOpenStatements(s: Queryable, courseId: number, studentIds: number[]): Promise<number[]> {
  if (studentIds.length === 0) return [];
  return (await s.all<{ id: number }>(sql`SELECT DISTINCT r.student_id AS id FROM statement_results r JOIN statements st ON st.id = r.statement_id
    WHERE st.course_id = ${courseId} AND st.status = 'open' AND r.student_id IN (${valuesList(studentIds)})`)).map((r) => r.id);
}

export type NewStatement = { courseId: number; groupId: number | null; kind: StatementKind; date: string; attempt: number; examinerIds: number[]; studentIds: number[] };

/** Opens a statement with its examiners and one empty result per student; numbered `YYYY-NNNN` within the year of its date. */
export async function openStatement(tx: Tx, n: NewStatement, actor: Actor, now: number): Promise<number> {
  const year = n.date.slice(0, 4);
  await lockAuditHead(tx); // two dean's offices opening at once on PostgreSQL would both read the same count
  const seq = await tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM statements WHERE number LIKE ${`${year}-%`}`);
  const number = `${year}-${String(Number(seq?.n ?? 0) + 1).padStart(4, '0')}`;
  const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO statements (number, course_id, group_id, kind, date, attempt, opened_by, updated_by, updated_at)
    VALUES (${number}, ${n.courseId}, ${n.groupId}, ${n.kind}, ${n.date}, ${n.attempt}, ${actor.id}, ${actor.id}, ${now}) RETURNING id`))!;
  for (const [i, teacherId] of n.examinerIds.entries()) {
    await tx.run(sql`INSERT INTO statement_examiners (statement_id, teacher_id, position) VALUES (${id}, ${teacherId}, ${i + 1})`);
  }
  for (const studentId of n.studentIds) {
    await tx.run(sql`INSERT INTO statement_results (statement_id, student_id, updated_by, updated_at) VALUES (${id}, ${studentId}, ${actor.id}, ${now})`);
  }
  await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'statement.open', entity: 'statement', entityId: id, courseId: n.courseId,
    after: { number, groupId: n.groupId, kind: n.kind, date: n.date, attempt: n.attempt, examiners: n.examinerIds, students: n.studentIds.length } });
  return id;
}

export type ResultWrite = { outcome: ResultOutcome | null; mark: number | null; finalMark: number | null };

/** One result, compared with the version the examiner saw: 'conflict' when someone else wrote it meanwhile. */
export async function writeResult(tx: Tx, st: { id: number; courseId: number }, studentId: number, v: ResultWrite, seenVersion: number, actor: Actor, now: number,
  reason: string | null = null): Promise<'ok' | 'conflict' | 'notOnStatement'> {
  const cur = await tx.get<{ outcome: ResultOutcome | null; mark: number | null; version: number }>(sql`SELECT outcome, mark, version FROM statement_results
    WHERE statement_id = ${st.id} AND student_id = ${studentId}`);
  if (!cur) return 'notOnStatement';
  if (cur.version !== seenVersion) return 'conflict';
  if (cur.outcome === v.outcome && cur.mark === v.mark) return 'ok';
  await tx.run(sql`UPDATE statement_results SET outcome = ${v.outcome}, mark = ${v.mark}, final_mark = ${v.finalMark}, version = ${cur.version + 1},
    updated_by = ${actor.id}, updated_at = ${now} WHERE statement_id = ${st.id} AND student_id = ${studentId}`);
  await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'statement_result.update', entity: 'statement_result', entityId: st.id,
    studentId, courseId: st.courseId, before: { outcome: cur.outcome, mark: cur.mark }, after: { outcome: v.outcome, mark: v.mark, finalMark: v.finalMark }, reason });
  return 'ok';
}

/**
 * Results are about to be written: the statement must still be open, and its version moves, so a signature
 * made from the page as it was before these results (closeStatement compares versions) is refused, not
 * signed over results its debts were not computed from. Also takes the row's lock on PostgreSQL.
 */
export async function claimOpenStatement(tx: Tx, statementId: number, actor: Actor, now: number): Promise<boolean> {
  const r = await tx.run(sql`UPDATE statements SET version = version + 1, updated_by = ${actor.id}, updated_at = ${now}
    WHERE id = ${statementId} AND status = 'open'`);
  return r.changes === 1;
}

/**
 * The examiner signs: the statement closes, each debt it leaves is recorded with its deadline, and a passed
 * retake clears the student's open debts in the course. The status is checked again here: two signatures at
 * once close it once.
 */
export async function closeStatement(tx: Tx, st: { id: number; courseId: number; version: number }, debts: { studentId: number; deadline: string }[],
  passed: number[], actor: Actor, now: number): Promise<boolean> {
  const r = await tx.run(sql`UPDATE statements SET status = 'closed', closed_by = ${actor.id}, closed_at = ${now}, version = version + 1, updated_by = ${actor.id},
    updated_at = ${now} WHERE id = ${st.id} AND status = 'open' AND version = ${st.version}`);
  if (r.changes !== 1) return false;
  await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'statement.close', entity: 'statement', entityId: st.id, courseId: st.courseId,
    before: { status: 'open' }, after: { status: 'closed', debts: debts.length } });
  for (const studentId of passed) await clearDebts(tx, st, studentId, actor, now);
  for (const d of debts) await addDebt(tx, st, d.studentId, d.deadline, actor, now);
  return true;
}

async function addDebt(tx: Tx, st: { id: number; courseId: number }, studentId: number, deadline: string, actor: Actor, now: number) {
  const row = await tx.get<{ id: number }>(sql`INSERT INTO academic_debts (student_id, course_id, statement_id, deadline, updated_by, updated_at)
    VALUES (${studentId}, ${st.courseId}, ${st.id}, ${deadline}, ${actor.id}, ${now}) ON CONFLICT (statement_id, student_id) DO NOTHING RETURNING id`);
  if (row) await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'academic_debt.create', entity: 'academic_debt', entityId: row.id,
    studentId, courseId: st.courseId, after: { statementId: st.id, deadline } });
}

async function clearDebts(tx: Tx, st: { id: number; courseId: number }, studentId: number, actor: Actor, now: number) {
  const open = await tx.all<{ id: number }>(sql`SELECT id FROM academic_debts WHERE student_id = ${studentId} AND course_id = ${st.courseId} AND cleared_at IS NULL`);
  for (const d of open) {
    await tx.run(sql`UPDATE academic_debts SET cleared_at = ${now}, cleared_by_statement_id = ${st.id}, version = version + 1, updated_by = ${actor.id}, updated_at = ${now}
      WHERE id = ${d.id}`);
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'academic_debt.clear', entity: 'academic_debt', entityId: d.id,
      studentId, courseId: st.courseId, after: { clearedByStatementId: st.id } });
  }
}

/** After an approved correction: the student owes the course from this statement, or no longer does. */
export async function settleDebt(tx: Tx, st: { id: number; courseId: number }, studentId: number, owes: boolean, deadline: string, actor: Actor, now: number): Promise<void> {
  if (owes) {
    await tx.run(sql`UPDATE academic_debts SET cleared_at = NULL, cleared_by_statement_id = NULL, version = version + 1, updated_by = ${actor.id}, updated_at = ${now}
      WHERE statement_id = ${st.id} AND student_id = ${studentId} AND cleared_by_statement_id = ${st.id}`);
    await addDebt(tx, st, studentId, deadline, actor, now);
  } else {
    const d = await tx.get<{ id: number }>(sql`SELECT id FROM academic_debts WHERE statement_id = ${st.id} AND student_id = ${studentId} AND cleared_at IS NULL`);
    if (!d) return;
    await tx.run(sql`UPDATE academic_debts SET cleared_at = ${now}, cleared_by_statement_id = ${st.id}, version = version + 1, updated_by = ${actor.id}, updated_at = ${now}
      WHERE id = ${d.id}`);
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'academic_debt.clear', entity: 'academic_debt', entityId: d.id,
      studentId, courseId: st.courseId, after: { clearedByStatementId: st.id } });
  }
}

export async function countersignStatement(tx: Tx, st: { id: number; courseId: number; version: number }, actor: Actor, now: number): Promise<boolean> {
  const r = await tx.run(sql`UPDATE statements SET status = 'countersigned', countersigned_by = ${actor.id}, countersigned_at = ${now}, version = version + 1,
    updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${st.id} AND status = 'closed' AND version = ${st.version}`);
  if (r.changes !== 1) return false;
  await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'statement.countersign', entity: 'statement', entityId: st.id,
    courseId: st.courseId, before: { status: 'closed' }, after: { status: 'countersigned' } });
  return true;
}

export type StatementCorrection = {
  id: number; statementId: number; studentId: number; newValue: string; reason: string; status: 'pending' | 'approved' | 'rejected';
  requesterSurname: string; requesterGiven: string; surname: string; givenName: string; nameLatin: string | null;
};

export async function statementCorrections(s: Queryable, statementId: number): Promise<StatementCorrection[]> {
  return s.all<StatementCorrection>(sql`SELECT r.id, r.statement_id AS "statementId", r.student_id AS "studentId", r.new_value AS "newValue", r.reason, r.status,
      q.surname AS "requesterSurname", q.given_name AS "requesterGiven", u.surname, u.given_name AS "givenName",
      u.name_latin AS "nameLatin"
    FROM statement_corrections r JOIN users u ON u.id = r.student_id JOIN users q ON q.id = r.requested_by
    WHERE r.statement_id = ${statementId} ORDER BY r.id`);
}

export async function statementCorrectionById(s: Queryable, id: number): Promise<StatementCorrection | undefined> {
  return s.get<StatementCorrection>(sql`SELECT r.id, r.statement_id AS "statementId", r.student_id AS "studentId", r.new_value AS "newValue", r.reason, r.status,
      q.surname AS "requesterSurname", q.given_name AS "requesterGiven", u.surname, u.given_name AS "givenName",
      u.name_latin AS "nameLatin"
    FROM statement_corrections r JOIN users u ON u.id = r.student_id JOIN users q ON q.id = r.requested_by WHERE r.id = ${id}`);
}

export async function fileStatementCorrection(tx: Tx, st: { id: number; courseId: number }, c: { studentId: number; newValue: string; reason: string }, actor: Actor, now: number): Promise<number> {
  const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO statement_corrections (statement_id, student_id, new_value, reason, requested_by, updated_by, updated_at)
    VALUES (${st.id}, ${c.studentId}, ${c.newValue}, ${c.reason}, ${actor.id}, ${actor.id}, ${now}) RETURNING id`))!;
  await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'statement_correction.request', entity: 'statement_correction', entityId: id,
    studentId: c.studentId, courseId: st.courseId, after: { statementId: st.id, newValue: c.newValue }, reason: c.reason });
  return id;
}

/** Closes a pending request (false: someone decided it first). */
export async function decideStatementCorrection(tx: Tx, c: StatementCorrection, courseId: number, approved: boolean, note: string, actor: Actor, now: number): Promise<boolean> {
  const r = await tx.run(sql`UPDATE statement_corrections SET status = ${approved ? 'approved' : 'rejected'}, decided_by = ${actor.id}, decided_at = ${now},
    decision_note = ${note}, version = version + 1, updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${c.id} AND status = 'pending'`);
  if (r.changes !== 1) return false;
  await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: approved ? 'statement_correction.approve' : 'statement_correction.reject',
    entity: 'statement_correction', entityId: c.id, studentId: c.studentId, courseId, before: { status: 'pending' }, after: { status: approved ? 'approved' : 'rejected', note }, reason: note });
  return true;
}

/** Pending statement corrections of the courses given (the dean's office's list). */
export async function pendingStatementCorrections(s: Queryable): Promise<(StatementCorrection & { courseId: number; number: string })[]> {
  return s.all(sql`SELECT r.id, r.statement_id AS "statementId", r.student_id AS "studentId", r.new_value AS "newValue", r.reason, r.status,
      q.surname AS "requesterSurname", q.given_name AS "requesterGiven", u.surname, u.given_name AS "givenName",
      u.name_latin AS "nameLatin", st.course_id AS "courseId", st.number
    FROM statement_corrections r JOIN statements st ON st.id = r.statement_id JOIN users u ON u.id = r.student_id JOIN users q ON q.id = r.requested_by
    WHERE r.status = 'pending' ORDER BY r.id`);
}

/** A result's current version (read inside a deciding transaction, which applies over whatever is there). */
export async function resultVersion(s: Queryable, statementId: number, studentId: number): Promise<number | undefined> {
  return (await s.get<{ version: number }>(sql`SELECT version FROM statement_results WHERE statement_id = ${statementId} AND student_id = ${studentId}`))?.version;
}

export type UpcomingExam = { statementId: number; courseId: number; subjectRu: string; subjectEn: string; kind: StatementKind; date: string; attempt: number };

/** The session calendar of one student: the open statements they are on, from today on (a retake as well as the session). */
export async function studentUpcomingExams(s: Queryable, studentId: number, today: string): Promise<UpcomingExam[]> {
  return s.all<UpcomingExam>(sql`SELECT st.id AS "statementId", st.course_id AS "courseId", sb.name_ru AS "subjectRu", sb.name_en AS "subjectEn", st.kind, st.date, st.attempt
    FROM statement_results r JOIN statements st ON st.id = r.statement_id JOIN courses c ON c.id = st.course_id JOIN subjects sb ON sb.id = c.subject_id
    WHERE r.student_id = ${studentId} AND st.status = 'open' AND st.date >= ${today} ORDER BY st.date, st.id`);
}

export type StatementSummary = ResultFigures & { statementId: number };

/**
 * The session report's figures per statement (pass rate, average mark, no-shows, the debts still open from it),
 * computed by the domain's resultFigures from the results as they are.
 */
export async function statementSummaries(s: Queryable, statementIds: number[]): Promise<Map<number, StatementSummary>> {
  if (statementIds.length === 0) return new Map();
  const ids = valuesList(statementIds);
  const scales = await s.all<Scale & { statementId: number }>(sql`SELECT st.id AS "statementId", sc.code, sc.kind, sc.min, sc.max, sc.pass_min AS "passMin"
    FROM statements st JOIN courses c ON c.id = st.course_id JOIN scales sc ON sc.id = c.scale_id WHERE st.id IN (${ids})`);
  const results = await s.all<{ statementId: number; outcome: ResultOutcome | null; mark: number | null }>(sql`SELECT statement_id AS "statementId", outcome, mark
    FROM statement_results WHERE statement_id IN (${ids})`);
  // PostgreSQL answers count as a numeric string.
  const debts = await s.all<{ statementId: number; n: number | string }>(sql`SELECT statement_id AS "statementId", count(*) AS n FROM academic_debts
    WHERE cleared_at IS NULL AND statement_id IN (${ids}) GROUP BY statement_id`);
  const byStatement = new Map<number, { outcome: ResultOutcome | null; mark: number | null }[]>();
  for (const r of results) byStatement.set(r.statementId, [...(byStatement.get(r.statementId) ?? []), r]);
  const openDebts = new Map(debts.map((d) => [d.statementId, Number(d.n)]));
  return new Map(scales.map(({ statementId, ...scale }) => [statementId,
    { statementId, ...resultFigures(byStatement.get(statementId) ?? [], scale, openDebts.get(statementId) ?? 0) }]));
}

/** The session report of a course, per statement. */
export async function courseStatementSummaries(s: Queryable, courseId: number): Promise<Map<number, StatementSummary>> {
  const ids = await s.all<{ id: number }>(sql`SELECT id FROM statements WHERE course_id = ${courseId}`);
  return statementSummaries(s, ids.map((r) => r.id));
}

/**
 * The statements of a term's session for whole groups (retakes of named students are not a group's figures),
 * of groups in the faculties given ('all': the university), optionally one group.
 */
export async function groupSessionStatements(s: Queryable, faculties: number[] | 'all', termId: number, groupId: number | null): Promise<Statement[]> {
  if (faculties !== 'all' && faculties.length === 0) return [];
  const inFaculties = faculties === 'all' ? sql`` : sql` AND g.faculty_id IN (${valuesList(faculties)})`;
  const inGroup = groupId === null ? sql`` : sql` AND st.group_id = ${groupId}`;
  return complete(s, await s.all<Head>(sql`${HEAD} WHERE c.term_id = ${termId} AND st.group_id IS NOT NULL${inFaculties}${inGroup}
    ORDER BY g.name, s.name_ru, st.date, st.id`));
}
