// The whole domain of DESIGN.md §2. Types used elsewhere are inferred from here, never rewritten.
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, uniqueIndex, index, primaryKey, check } from 'drizzle-orm/sqlite-core';

export const LESSON_KINDS = ['lecture', 'practical', 'laboratory', 'seminar', 'colloquium', 'credit', 'exam'] as const;
export const ATTENDANCE_STATUSES = ['present', 'late', 'absent'] as const;
export const REASON_STATUSES = ['unknown', 'excused', 'unexcused'] as const;
export const MAKEUP_STATUSES = ['pending', 'done', 'waived'] as const;
export const ROLES = ['admin', 'teacher', 'student', 'guardian'] as const;
export const PROGRAMMES = ['degree', 'preparatory', 'residency', 'masters'] as const;
export const LANGS = ['en', 'ru'] as const;
export const LINK_SCOPES = ['attendance', 'full'] as const;

export type LessonKind = (typeof LESSON_KINDS)[number];
export type Role = (typeof ROLES)[number];
export type Lang = (typeof LANGS)[number];
export type LinkScope = (typeof LINK_SCOPES)[number];

// Every record carries these (DESIGN.md §2: version, updated_by, updated_at) so optimistic
// concurrency (409 on a stale version) and "who set this" work the same way everywhere.
const tracked = () => ({
  version: integer('version').notNull().default(1),
  updatedBy: integer('updated_by'),
  updatedAt: integer('updated_at').notNull().default(sql`(unixepoch('subsec') * 1000)`),
});

// ---------- organisation ----------
export const faculties = sqliteTable('faculties', {
  id: integer('id').primaryKey(),
  code: text('code').notNull().unique(),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  ...tracked(),
});

export const departments = sqliteTable('departments', {
  id: integer('id').primaryKey(),
  facultyId: integer('faculty_id').notNull().references(() => faculties.id),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  ...tracked(),
});

export const groups = sqliteTable('groups', {
  id: integer('id').primaryKey(),
  facultyId: integer('faculty_id').notNull().references(() => faculties.id),
  name: text('name').notNull().unique(),
  programme: text('programme', { enum: PROGRAMMES }).notNull().default('degree'),
  year: integer('year').notNull(),
  language: text('language', { enum: LANGS }).notNull(),
  ...tracked(),
});

// ---------- people ----------
export const users = sqliteTable('users', {
  id: integer('id').primaryKey(),
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash'),
  surname: text('surname').notNull(),
  givenName: text('given_name').notNull(),
  patronymic: text('patronymic'),
  // The name as in the passport, in Latin script ("SHARMA Aarav"): shown on English pages and mail.
  nameLatin: text('name_latin'),
  recordBook: text('record_book'), // номер зачётной книжки, students only
  country: text('country'),
  lang: text('lang', { enum: LANGS }).notNull().default('ru'),
  timeZone: text('time_zone').notNull().default('Europe/Minsk'),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  // Which events notify (issue: notification settings); JSON array of event kinds muted.
  notifyMuted: text('notify_muted').notNull().default('[]'),
  lastSeenAt: integer('last_seen_at'),
  ...tracked(),
});

// A user may hold several roles; an admin is scoped to the university (faculty null) or one faculty;
// a teacher belongs to a department.
export const userRoles = sqliteTable('user_roles', {
  id: integer('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id),
  role: text('role', { enum: ROLES }).notNull(),
  facultyId: integer('faculty_id').references(() => faculties.id),
  departmentId: integer('department_id').references(() => departments.id),
  ...tracked(),
}, (t) => [index('user_roles_user').on(t.userId)]);

// Dated membership so transfers keep history (DESIGN.md §2).
export const groupMemberships = sqliteTable('group_memberships', {
  id: integer('id').primaryKey(),
  studentId: integer('student_id').notNull().references(() => users.id),
  groupId: integer('group_id').notNull().references(() => groups.id),
  fromDate: text('from_date').notNull(),
  toDate: text('to_date'),
  ...tracked(),
}, (t) => [index('memberships_student').on(t.studentId), index('memberships_group').on(t.groupId)]);

// A guardian sees an adult student's record only with the student's consent.
export const guardianLinks = sqliteTable('guardian_links', {
  id: integer('id').primaryKey(),
  guardianId: integer('guardian_id').notNull().references(() => users.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  scope: text('scope', { enum: LINK_SCOPES }).notNull(),
  consent: text('consent', { enum: ['pairing_code', 'dean_recorded'] }).notNull(),
  consentNote: text('consent_note'),
  consentedAt: integer('consented_at').notNull(),
  revokedAt: integer('revoked_at'),
  revokedBy: integer('revoked_by'),
  ...tracked(),
}, (t) => [index('links_guardian').on(t.guardianId), index('links_student').on(t.studentId)]);

export const pairingCodes = sqliteTable('pairing_codes', {
  id: integer('id').primaryKey(),
  studentId: integer('student_id').notNull().references(() => users.id),
  codeHash: text('code_hash').notNull().unique(),
  scope: text('scope', { enum: LINK_SCOPES }).notNull(),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
  usedBy: integer('used_by'),
  ...tracked(),
});

// Lucia-guide sessions: the id is the SHA-256 of the token; the token itself is never stored.
export const sessions = sqliteTable('sessions', {
  id: text('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id),
  expiresAt: integer('expires_at').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('sessions_user').on(t.userId)]);

export const passwordResets = sqliteTable('password_resets', {
  id: integer('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id),
  tokenHash: text('token_hash').notNull().unique(),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
  createdBy: integer('created_by'),
});

// ---------- teaching ----------
export const terms = sqliteTable('terms', {
  id: integer('id').primaryKey(),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  startsOn: text('starts_on').notNull(),
  endsOn: text('ends_on').notNull(),
  lockedAt: integer('locked_at'),
  lockedBy: integer('locked_by'),
  lockReason: text('lock_reason'),
  ...tracked(),
});

export const scales = sqliteTable('scales', {
  id: integer('id').primaryKey(),
  code: text('code').notNull().unique(),
  kind: text('kind', { enum: ['points', 'pass_fail'] }).notNull(),
  min: integer('min').notNull(),
  max: integer('max').notNull(),
  passMin: integer('pass_min').notNull(),
});

export const subjects = sqliteTable('subjects', {
  id: integer('id').primaryKey(),
  departmentId: integer('department_id').notNull().references(() => departments.id),
  code: text('code').notNull().unique(),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  ...tracked(),
});

// A course is one subject taught to its groups in one term: the "journal".
export const courses = sqliteTable('courses', {
  id: integer('id').primaryKey(),
  subjectId: integer('subject_id').notNull().references(() => subjects.id),
  termId: integer('term_id').notNull().references(() => terms.id),
  scaleId: integer('scale_id').notNull().references(() => scales.id),
  // Rating weights, admission rule and final-mark rule are data (JSON), read by server/domain.
  rules: text('rules').notNull().default('{}'),
  ...tracked(),
}, (t) => [index('courses_term').on(t.termId)]);

export const courseGroups = sqliteTable('course_groups', {
  courseId: integer('course_id').notNull().references(() => courses.id),
  groupId: integer('group_id').notNull().references(() => groups.id),
}, (t) => [primaryKey({ columns: [t.courseId, t.groupId] }), index('course_groups_group').on(t.groupId)]);

export const courseTeachers = sqliteTable('course_teachers', {
  courseId: integer('course_id').notNull().references(() => courses.id),
  teacherId: integer('teacher_id').notNull().references(() => users.id),
  role: text('role', { enum: ['lecturer', 'assistant'] }).notNull(),
}, (t) => [primaryKey({ columns: [t.courseId, t.teacherId] }), index('course_teachers_teacher').on(t.teacherId)]);

// One dated column of the journal. group_id null = the whole stream (a lecture to all the course's groups).
export const lessons = sqliteTable('lessons', {
  id: integer('id').primaryKey(),
  courseId: integer('course_id').notNull().references(() => courses.id),
  groupId: integer('group_id').references(() => groups.id),
  kind: text('kind', { enum: LESSON_KINDS }).notNull(),
  topic: text('topic').notNull().default(''),
  date: text('date').notNull(), // university-local date, YYYY-MM-DD
  startsAt: integer('starts_at').notNull(), // epoch ms, shown in the viewer's time zone
  cancelled: integer('cancelled', { mode: 'boolean' }).notNull().default(false),
  ...tracked(),
}, (t) => [index('lessons_course_date').on(t.courseId, t.date)]);

// ---------- records, keyed by (lesson, student) ----------
export const absenceReasons = sqliteTable('absence_reasons', {
  id: integer('id').primaryKey(),
  code: text('code').notNull().unique(),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  requiresMakeup: integer('requires_makeup', { mode: 'boolean' }).notNull(),
});

export const attendance = sqliteTable('attendance', {
  id: integer('id').primaryKey(),
  lessonId: integer('lesson_id').notNull().references(() => lessons.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  // null = cleared: the row stays so its version keeps counting (a stale client can never match).
  status: text('status', { enum: ATTENDANCE_STATUSES }),
  reasonStatus: text('reason_status', { enum: REASON_STATUSES }).notNull().default('unknown'),
  reasonId: integer('reason_id').references(() => absenceReasons.id),
  documentRef: text('document_ref'),
  approvedBy: integer('approved_by'),
  approvedAt: integer('approved_at'),
  ...tracked(),
}, (t) => [uniqueIndex('attendance_lesson_student').on(t.lessonId, t.studentId), index('attendance_student').on(t.studentId)]);

// Academic mobility and similar: excused once for a period, not lesson by lesson.
export const excusedPeriods = sqliteTable('excused_periods', {
  id: integer('id').primaryKey(),
  studentId: integer('student_id').notNull().references(() => users.id),
  reasonId: integer('reason_id').notNull().references(() => absenceReasons.id),
  fromDate: text('from_date').notNull(),
  toDate: text('to_date').notNull(),
  documentRef: text('document_ref'),
  note: text('note'),
  ...tracked(),
}, (t) => [index('excused_student').on(t.studentId)]);

export const makeups = sqliteTable('makeups', {
  id: integer('id').primaryKey(),
  lessonId: integer('lesson_id').notNull().references(() => lessons.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  status: text('status', { enum: MAKEUP_STATUSES }).notNull(),
  doneOn: text('done_on'),
  teacherId: integer('teacher_id').references(() => users.id),
  mark: integer('mark'),
  waiveReason: text('waive_reason'),
  ...tracked(),
}, (t) => [uniqueIndex('makeups_lesson_student').on(t.lessonId, t.studentId), index('makeups_student').on(t.studentId)]);

export const marks = sqliteTable('marks', {
  id: integer('id').primaryKey(),
  lessonId: integer('lesson_id').notNull().references(() => lessons.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  value: integer('value'), // null = cleared, for the same reason as attendance.status
  comment: text('comment'),
  ...tracked(),
}, (t) => [uniqueIndex('marks_lesson_student').on(t.lessonId, t.studentId), index('marks_student').on(t.studentId)]);

// The dean's office may admit or bar a student regardless of the computed rule, with a written reason.
export const admissionOverrides = sqliteTable('admission_overrides', {
  id: integer('id').primaryKey(),
  courseId: integer('course_id').notNull().references(() => courses.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  admitted: integer('admitted', { mode: 'boolean' }).notNull(),
  reason: text('reason').notNull(),
  ...tracked(),
}, (t) => [uniqueIndex('overrides_course_student').on(t.courseId, t.studentId)]);

export const disputes = sqliteTable('disputes', {
  id: integer('id').primaryKey(),
  studentId: integer('student_id').notNull().references(() => users.id),
  lessonId: integer('lesson_id').notNull().references(() => lessons.id),
  subject: text('subject', { enum: ['mark', 'attendance'] }).notNull(),
  comment: text('comment').notNull(),
  status: text('status', { enum: ['open', 'accepted', 'rejected'] }).notNull().default('open'),
  answer: text('answer'),
  resolvedBy: integer('resolved_by'),
  resolvedAt: integer('resolved_at'),
  ...tracked(),
}, (t) => [index('disputes_student').on(t.studentId), index('disputes_lesson').on(t.lessonId)]);

// After a term is locked a teacher asks; the dean's office approves or rejects.
export const correctionRequests = sqliteTable('correction_requests', {
  id: integer('id').primaryKey(),
  lessonId: integer('lesson_id').notNull().references(() => lessons.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  field: text('field', { enum: ['mark', 'attendance'] }).notNull(),
  newValue: text('new_value').notNull(), // the cell input as typed, re-validated on approval
  reason: text('reason').notNull(),
  requestedBy: integer('requested_by').notNull().references(() => users.id),
  status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull().default('pending'),
  decidedBy: integer('decided_by'),
  decidedAt: integer('decided_at'),
  decisionNote: text('decision_note'),
  ...tracked(),
}, (t) => [index('corrections_status').on(t.status)]);

// Stored so someone offline sees them on the next visit.
export const notifications = sqliteTable('notifications', {
  id: integer('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id),
  kind: text('kind').notNull(),
  studentId: integer('student_id'),
  courseId: integer('course_id'),
  auditId: integer('audit_id'),
  payload: text('payload').notNull().default('{}'),
  createdAt: integer('created_at').notNull(),
  readAt: integer('read_at'),
}, (t) => [
  index('notifications_user').on(t.userId, t.readAt),
  // The publisher finds whose unread count a change moved by the audit rows it hands on.
  index('notifications_audit').on(t.auditId),
  // A save asks for the last admission notice of one student and course: without this, a scan of them all.
  index('notifications_student_course').on(t.studentId, t.courseId, t.kind),
]);

// Append-only and hash-chained: triggers (migration 0001) refuse UPDATE and DELETE; each row holds
// the hash of the previous one so a changed or missing row is found by `npm run audit:verify`.
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: integer('at').notNull(),
  actorId: integer('actor_id'),
  actorRole: text('actor_role'),
  ip: text('ip'),
  action: text('action').notNull(),
  entity: text('entity').notNull(),
  entityId: integer('entity_id'),
  studentId: integer('student_id'),
  courseId: integer('course_id'),
  lessonId: integer('lesson_id'),
  before: text('before'),
  after: text('after'),
  reason: text('reason'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
}, (t) => [
  index('audit_entity').on(t.entity, t.entityId),
  index('audit_student').on(t.studentId),
  index('audit_course').on(t.courseId),
  index('audit_lesson_student').on(t.lessonId, t.studentId),
  index('audit_at').on(t.at),
]);


// The head of the audit chain: one row, read and moved inside every writing transaction, so ids are
// gapless in commit order and two writers can never fork the chain (FOR UPDATE on PostgreSQL).
export const auditHead = sqliteTable('audit_head', {
  id: integer('id').primaryKey(),
  lastId: integer('last_id').notNull(),
  lastHash: text('last_hash').notNull(),
}, (t) => [check('audit_head_one_row', sql`${t.id} = 1`)]);

// A form's one-time token (issue 14, item 2): the action it submitted is done once, however often the
// browser sends it again (a double click, a resubmission from the history); the repeat is shown the
// same outcome. Rows older than a day are dropped by the next spend.
export const formTokens = sqliteTable('form_tokens', {
  token: text('token').primaryKey(),
  userId: integer('user_id').notNull(),
  usedAt: integer('used_at').notNull(),
  location: text('location').notNull(),
}, (t) => [index('form_tokens_used').on(t.usedAt)]);

// ---------- the session (issue 16): statements, their results, academic debts ----------
export const STATEMENT_KINDS = ['exam', 'credit'] as const;
export const STATEMENT_STATUSES = ['open', 'closed', 'countersigned'] as const;
// mark: on the course's scale (an exam); credit / no_credit (a credit); absent_excused / absent_unexcused
// (неявка с уважительной / без уважительной причины); not_admitted (from the course's admission).
export const RESULT_OUTCOMES = ['mark', 'credit', 'no_credit', 'absent_excused', 'absent_unexcused', 'not_admitted'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];
export type ResultOutcome = (typeof RESULT_OUTCOMES)[number];

// The exam statement (экзаменационная ведомость): a numbered, dated document for a course and a group
// (group null: a retake for students of several groups). attempt 1 is the session, 2 the first retake, 3+ later.
export const statements = sqliteTable('statements', {
  id: integer('id').primaryKey(),
  number: text('number').notNull().unique(),
  courseId: integer('course_id').notNull().references(() => courses.id),
  groupId: integer('group_id').references(() => groups.id),
  kind: text('kind', { enum: STATEMENT_KINDS }).notNull(),
  date: text('date').notNull(), // university-local YYYY-MM-DD
  attempt: integer('attempt').notNull().default(1),
  status: text('status', { enum: STATEMENT_STATUSES }).notNull().default('open'),
  openedBy: integer('opened_by').notNull().references(() => users.id),
  closedBy: integer('closed_by'),
  closedAt: integer('closed_at'),
  countersignedBy: integer('countersigned_by'),
  countersignedAt: integer('countersigned_at'),
  ...tracked(),
}, (t) => [index('statements_course').on(t.courseId)]);

// The examiner, or the commission of three (position 1 chairs it).
export const statementExaminers = sqliteTable('statement_examiners', {
  statementId: integer('statement_id').notNull().references(() => statements.id),
  teacherId: integer('teacher_id').notNull().references(() => users.id),
  position: integer('position').notNull(),
}, (t) => [primaryKey({ columns: [t.statementId, t.teacherId] }), index('statement_examiners_teacher').on(t.teacherId)]);

// Who is on the statement: every student of the group when opened (a retake: the students named), outcome
// null until entered. final_mark is the course's final-mark rule applied when the result was written.
export const statementResults = sqliteTable('statement_results', {
  id: integer('id').primaryKey(),
  statementId: integer('statement_id').notNull().references(() => statements.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  outcome: text('outcome', { enum: RESULT_OUTCOMES }),
  mark: integer('mark'),
  finalMark: integer('final_mark'),
  ...tracked(),
}, (t) => [uniqueIndex('statement_results_statement_student').on(t.statementId, t.studentId), index('statement_results_student').on(t.studentId)]);

// An academic debt (академическая задолженность): a failed result or a no-show without a valid reason on a
// closed statement; cleared by a passed retake. The dean's office sets the deadline.
export const academicDebts = sqliteTable('academic_debts', {
  id: integer('id').primaryKey(),
  studentId: integer('student_id').notNull().references(() => users.id),
  courseId: integer('course_id').notNull().references(() => courses.id),
  statementId: integer('statement_id').notNull().references(() => statements.id),
  deadline: text('deadline').notNull(),
  clearedAt: integer('cleared_at'),
  clearedByStatementId: integer('cleared_by_statement_id'),
  ...tracked(),
}, (t) => [uniqueIndex('debts_statement_student').on(t.statementId, t.studentId), index('debts_student').on(t.studentId), index('debts_course').on(t.courseId)]);

// After a statement is closed its results change only through a request the dean's office decides.
export const statementCorrections = sqliteTable('statement_corrections', {
  id: integer('id').primaryKey(),
  statementId: integer('statement_id').notNull().references(() => statements.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  newValue: text('new_value').notNull(), // the statement cell as typed, re-validated on approval
  reason: text('reason').notNull(),
  requestedBy: integer('requested_by').notNull().references(() => users.id),
  status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull().default('pending'),
  decidedBy: integer('decided_by'),
  decidedAt: integer('decided_at'),
  decisionNote: text('decision_note'),
  ...tracked(),
}, (t) => [index('statement_corrections_statement').on(t.statementId, t.status)]);

// The session calendar (issue 16): the day the dean's office sets for a course's exam or credit in a group,
// with an optional reserve day (for those who missed the first) and a time and room. Planned dates only:
// the statement is the document; opening one takes its date from here.
export const sessionDates = sqliteTable('session_dates', {
  id: integer('id').primaryKey(),
  courseId: integer('course_id').notNull().references(() => courses.id),
  groupId: integer('group_id').notNull().references(() => groups.id),
  kind: text('kind', { enum: STATEMENT_KINDS }).notNull(),
  date: text('date').notNull(), // university-local YYYY-MM-DD
  reserveDate: text('reserve_date'),
  startsAt: text('start_time'), // HH:MM, university-local (not an instant: no _at)
  room: text('room'),
  ...tracked(),
}, (t) => [uniqueIndex('session_dates_course_group_kind').on(t.courseId, t.groupId, t.kind), index('session_dates_group').on(t.groupId, t.date)]);

// ---------- academic mobility (issue 17) ----------
export const MOBILITY_DECISIONS = ['pending', 'selected', 'waitlisted', 'declined'] as const;
export type MobilityDecision = (typeof MOBILITY_DECISIONS)[number];
/** A recognised result: a mark on the course's own scale, or a credit (pass/fail courses). */
export const RECOGNITION_OUTCOMES = ['mark', 'credit'] as const;
export type RecognitionOutcome = (typeof RECOGNITION_OUTCOMES)[number];

// Partner universities under bilateral agreements, kept by the university administration.
export const mobilityPartners = sqliteTable('mobility_partners', {
  id: integer('id').primaryKey(),
  nameOriginal: text('name_original').notNull(),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  country: text('country').notNull(), // ISO 3166-1 alpha-2
  agreementNumber: text('agreement_number').notNull(),
  agreementFrom: text('agreement_from').notNull(),
  agreementTo: text('agreement_to'), // null: open-ended
  ...tracked(),
});

// A call for a placement period; the weights of the candidates' score (JSON, server/domain/mobility-score).
export const mobilityCalls = sqliteTable('mobility_calls', {
  id: integer('id').primaryKey(),
  partnerId: integer('partner_id').notNull().references(() => mobilityPartners.id),
  fromDate: text('from_date').notNull(),
  toDate: text('to_date').notNull(),
  programme: text('programme', { enum: PROGRAMMES }).notNull(),
  year: integer('year').notNull(),
  deadline: text('deadline').notNull(), // the last day applications are taken, university-local
  weights: text('weights').notNull(),
  ...tracked(),
}, (t) => [index('mobility_calls_partner').on(t.partnerId)]);

// Places per faculty: the dean's office of each faculty selects among its own applicants only.
export const mobilityQuotas = sqliteTable('mobility_quotas', {
  callId: integer('call_id').notNull().references(() => mobilityCalls.id),
  facultyId: integer('faculty_id').notNull().references(() => faculties.id),
  places: integer('places').notNull(),
}, (t) => [primaryKey({ columns: [t.callId, t.facultyId] })]);

export const mobilityApplications = sqliteTable('mobility_applications', {
  id: integer('id').primaryKey(),
  callId: integer('call_id').notNull().references(() => mobilityCalls.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  facultyId: integer('faculty_id').notNull().references(() => faculties.id), // the student's faculty when applying
  motivation: text('motivation').notNull(),
  appliedAt: integer('applied_at').notNull(),
  activityPoints: integer('activity_points').notNull().default(0),
  achievementPoints: integer('achievement_points').notNull().default(0),
  pointsNote: text('points_note'),
  decision: text('decision', { enum: MOBILITY_DECISIONS }).notNull().default('pending'),
  decisionReason: text('decision_reason'),
  decidedBy: integer('decided_by'),
  decidedAt: integer('decided_at'),
  ...tracked(),
}, (t) => [uniqueIndex('mobility_applications_call_student').on(t.callId, t.studentId), index('mobility_applications_student').on(t.studentId)]);

// A selected student's placement. Its excusal is the excused period it writes (the one source the
// journal, the summaries and admission read); shortening or cancelling moves that period.
export const mobilityPlacements = sqliteTable('mobility_placements', {
  id: integer('id').primaryKey(),
  applicationId: integer('application_id').notNull().references(() => mobilityApplications.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  partnerId: integer('partner_id').notNull().references(() => mobilityPartners.id),
  fromDate: text('from_date').notNull(),
  toDate: text('to_date').notNull(),
  orderNumber: text('order_number').notNull(), // the rector's order sending the student
  excusedPeriodId: integer('excused_period_id').references(() => excusedPeriods.id), // null once cancelled
  cancelledAt: integer('cancelled_at'),
  ...tracked(),
}, (t) => [uniqueIndex('mobility_placements_application').on(t.applicationId), index('mobility_placements_student').on(t.studentId)]);

// Credit recognition (перезачёт): a result earned at the partner during a placement, recorded by the dean's
// office against one of the student's own courses; the record book shows it with the partner named. One per
// student and course: recording it again replaces it (audited with the before).
export const mobilityRecognitions = sqliteTable('mobility_recognitions', {
  id: integer('id').primaryKey(),
  placementId: integer('placement_id').notNull().references(() => mobilityPlacements.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  courseId: integer('course_id').notNull().references(() => courses.id),
  partnerId: integer('partner_id').notNull().references(() => mobilityPartners.id),
  outcome: text('outcome', { enum: RECOGNITION_OUTCOMES }).notNull(),
  mark: integer('mark'),
  partnerCourse: text('partner_course').notNull(),
  partnerGrade: text('partner_grade').notNull(),
  recognisedOn: text('recognised_on').notNull(),
  ...tracked(),
}, (t) => [uniqueIndex('mobility_recognitions_student_course').on(t.studentId, t.courseId), index('mobility_recognitions_placement').on(t.placementId)]);

// ---------- e-mail (issue 15) ----------
export const MAIL_MODES = ['instant', 'daily', 'weekly', 'off'] as const;
export type MailMode = (typeof MAIL_MODES)[number];

// The address a user asked mail at, once confirmed by its link; a permanent refusal (5xx) marks it failing.
// The digest cursors remember which window was last sent and up to which notification it reached.
export const mailRecipients = sqliteTable('mail_recipients', {
  userId: integer('user_id').primaryKey().references(() => users.id),
  address: text('address').notNull(),
  confirmedAt: integer('confirmed_at'),
  failingAt: integer('failing_at'),
  failingReason: text('failing_reason'),
  digestHour: integer('digest_hour').notNull().default(19),
  dailySlot: integer('daily_slot'),
  dailyThrough: integer('daily_through').notNull().default(0),
  weeklySlot: integer('weekly_slot'),
  weeklyThrough: integer('weekly_through').notNull().default(0),
  updatedAt: integer('updated_at').notNull(),
});

// A kind without a row goes at once; `off` is also what the unsubscribe link sets.
export const mailPrefs = sqliteTable('mail_prefs', {
  userId: integer('user_id').notNull().references(() => users.id),
  kind: text('kind').notNull(),
  mode: text('mode', { enum: MAIL_MODES }).notNull(),
}, (t) => [primaryKey({ columns: [t.userId, t.kind] })]);

// Written in the transaction of the change that causes the message; `key` is its idempotency key (also the
// Message-ID), so a message is queued once however often its cause is seen.
export const mailOutbox = sqliteTable('mail_outbox', {
  id: integer('id').primaryKey(),
  key: text('key').notNull().unique(),
  userId: integer('user_id'),
  address: text('address').notNull(),
  kind: text('kind').notNull(),
  ref: text('ref').notNull().default('{}'),
  state: text('state').notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  nextAt: integer('next_at').notNull(),
  claimedAt: integer('claimed_at'),
  sentAt: integer('sent_at'),
  lastError: text('last_error'),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('mail_outbox_due').on(t.state, t.nextAt)]);
