// The PostgreSQL twin of db/schema.ts (DESIGN.md §5). db/schema.ts stays the source of the application's
// types; this file only has to create the same tables, columns, nullability and indexes on PostgreSQL,
// which tests/unit/schema-parity.test.ts checks. Migrations: `npm run db:generate:pg` into db/migrations-pg.
//
// Per-dialect column helpers: epoch-millisecond instants are `bigint` in number mode (an int4 would end
// in 1970 + 24 days), flags are real booleans, ids are identities that still accept the seed's explicit ids.
// Audit before/after stay `text` (jsonb would reorder keys and change the hashes).
import { sql } from 'drizzle-orm';
import { pgTable, integer, bigint, boolean, text, uniqueIndex, index, primaryKey, check } from 'drizzle-orm/pg-core';
import {
  LESSON_KINDS, ATTENDANCE_STATUSES, REASON_STATUSES, MAKEUP_STATUSES, ROLES, PROGRAMMES, LANGS, LINK_SCOPES,
  STATEMENT_KINDS, STATEMENT_STATUSES, RESULT_OUTCOMES, MOBILITY_DECISIONS, RECOGNITION_OUTCOMES, MAIL_MODES,
} from './schema';

/** An instant in epoch milliseconds. */
const ms = (name: string) => bigint(name, { mode: 'number' });
const flag = (name: string) => boolean(name);
/** A surrogate key: generated when omitted, explicit ids (the demo seed, db:copy) allowed. */
const serialId = () => integer('id').primaryKey().generatedByDefaultAsIdentity();

const tracked = () => ({
  version: integer('version').notNull().default(1),
  updatedBy: integer('updated_by'),
  updatedAt: ms('updated_at').notNull().default(sql`(floor(extract(epoch from clock_timestamp()) * 1000))::bigint`),
});

// ---------- organisation ----------
export const faculties = pgTable('faculties', {
  id: serialId(),
  code: text('code').notNull().unique(),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  ...tracked(),
});

export const departments = pgTable('departments', {
  id: serialId(),
  facultyId: integer('faculty_id').notNull().references(() => faculties.id),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  ...tracked(),
});

export const groups = pgTable('groups', {
  id: serialId(),
  facultyId: integer('faculty_id').notNull().references(() => faculties.id),
  name: text('name').notNull().unique(),
  programme: text('programme', { enum: PROGRAMMES }).notNull().default('degree'),
  year: integer('year').notNull(),
  language: text('language', { enum: LANGS }).notNull(),
  ...tracked(),
});

// ---------- people ----------
export const users = pgTable('users', {
  id: serialId(),
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
  disabled: flag('disabled').notNull().default(false),
  // Which events notify (issue: notification settings); JSON array of event kinds muted.
  notifyMuted: text('notify_muted').notNull().default('[]'),
  lastSeenAt: ms('last_seen_at'),
  ...tracked(),
});

// A user may hold several roles; an admin is scoped to the university (faculty null) or one faculty;
// a teacher belongs to a department.
export const userRoles = pgTable('user_roles', {
  id: serialId(),
  userId: integer('user_id').notNull().references(() => users.id),
  role: text('role', { enum: ROLES }).notNull(),
  facultyId: integer('faculty_id').references(() => faculties.id),
  departmentId: integer('department_id').references(() => departments.id),
  ...tracked(),
}, (t) => [index('user_roles_user').on(t.userId)]);

// Dated membership so transfers keep history (DESIGN.md §2).
export const groupMemberships = pgTable('group_memberships', {
  id: serialId(),
  studentId: integer('student_id').notNull().references(() => users.id),
  groupId: integer('group_id').notNull().references(() => groups.id),
  fromDate: text('from_date').notNull(),
  toDate: text('to_date'),
  ...tracked(),
}, (t) => [index('memberships_student').on(t.studentId), index('memberships_group').on(t.groupId)]);

// A guardian sees an adult student's record only with the student's consent.
export const guardianLinks = pgTable('guardian_links', {
  id: serialId(),
  guardianId: integer('guardian_id').notNull().references(() => users.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  scope: text('scope', { enum: LINK_SCOPES }).notNull(),
  consent: text('consent', { enum: ['pairing_code', 'dean_recorded'] }).notNull(),
  consentNote: text('consent_note'),
  consentedAt: ms('consented_at').notNull(),
  revokedAt: ms('revoked_at'),
  revokedBy: integer('revoked_by'),
  ...tracked(),
}, (t) => [index('links_guardian').on(t.guardianId), index('links_student').on(t.studentId)]);

export const pairingCodes = pgTable('pairing_codes', {
  id: serialId(),
  studentId: integer('student_id').notNull().references(() => users.id),
  codeHash: text('code_hash').notNull().unique(),
  scope: text('scope', { enum: LINK_SCOPES }).notNull(),
  expiresAt: ms('expires_at').notNull(),
  usedAt: ms('used_at'),
  usedBy: integer('used_by'),
  ...tracked(),
});

// Lucia-guide sessions: the id is the SHA-256 of the token; the token itself is never stored.
export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id),
  expiresAt: ms('expires_at').notNull(),
  createdAt: ms('created_at').notNull(),
}, (t) => [index('sessions_user').on(t.userId)]);

export const passwordResets = pgTable('password_resets', {
  id: serialId(),
  userId: integer('user_id').notNull().references(() => users.id),
  tokenHash: text('token_hash').notNull().unique(),
  expiresAt: ms('expires_at').notNull(),
  usedAt: ms('used_at'),
  createdBy: integer('created_by'),
});

// ---------- teaching ----------
export const terms = pgTable('terms', {
  id: serialId(),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  startsOn: text('starts_on').notNull(),
  endsOn: text('ends_on').notNull(),
  lockedAt: ms('locked_at'),
  lockedBy: integer('locked_by'),
  lockReason: text('lock_reason'),
  ...tracked(),
});

export const scales = pgTable('scales', {
  id: serialId(),
  code: text('code').notNull().unique(),
  kind: text('kind', { enum: ['points', 'pass_fail'] }).notNull(),
  min: integer('min').notNull(),
  max: integer('max').notNull(),
  passMin: integer('pass_min').notNull(),
});

export const subjects = pgTable('subjects', {
  id: serialId(),
  departmentId: integer('department_id').notNull().references(() => departments.id),
  code: text('code').notNull().unique(),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  ...tracked(),
});

// A course is one subject taught to its groups in one term: the "journal".
export const courses = pgTable('courses', {
  id: serialId(),
  subjectId: integer('subject_id').notNull().references(() => subjects.id),
  termId: integer('term_id').notNull().references(() => terms.id),
  scaleId: integer('scale_id').notNull().references(() => scales.id),
  // Rating weights, admission rule and final-mark rule are data (JSON), read by server/domain.
  rules: text('rules').notNull().default('{}'),
  ...tracked(),
}, (t) => [index('courses_term').on(t.termId)]);

export const courseGroups = pgTable('course_groups', {
  courseId: integer('course_id').notNull().references(() => courses.id),
  groupId: integer('group_id').notNull().references(() => groups.id),
}, (t) => [primaryKey({ columns: [t.courseId, t.groupId] }), index('course_groups_group').on(t.groupId)]);

export const courseTeachers = pgTable('course_teachers', {
  courseId: integer('course_id').notNull().references(() => courses.id),
  teacherId: integer('teacher_id').notNull().references(() => users.id),
  role: text('role', { enum: ['lecturer', 'assistant'] }).notNull(),
}, (t) => [primaryKey({ columns: [t.courseId, t.teacherId] }), index('course_teachers_teacher').on(t.teacherId)]);

// One dated column of the journal. group_id null = the whole stream (a lecture to all the course's groups).
export const lessons = pgTable('lessons', {
  id: serialId(),
  courseId: integer('course_id').notNull().references(() => courses.id),
  groupId: integer('group_id').references(() => groups.id),
  kind: text('kind', { enum: LESSON_KINDS }).notNull(),
  topic: text('topic').notNull().default(''),
  date: text('date').notNull(), // university-local date, YYYY-MM-DD
  startsAt: ms('starts_at').notNull(), // epoch ms, shown in the viewer's time zone
  cancelled: flag('cancelled').notNull().default(false),
  ...tracked(),
}, (t) => [index('lessons_course_date').on(t.courseId, t.date)]);

// ---------- records, keyed by (lesson, student) ----------
export const absenceReasons = pgTable('absence_reasons', {
  id: serialId(),
  code: text('code').notNull().unique(),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  requiresMakeup: flag('requires_makeup').notNull(),
});

export const attendance = pgTable('attendance', {
  id: serialId(),
  lessonId: integer('lesson_id').notNull().references(() => lessons.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  // null = cleared: the row stays so its version keeps counting (a stale client can never match).
  status: text('status', { enum: ATTENDANCE_STATUSES }),
  reasonStatus: text('reason_status', { enum: REASON_STATUSES }).notNull().default('unknown'),
  reasonId: integer('reason_id').references(() => absenceReasons.id),
  documentRef: text('document_ref'),
  approvedBy: integer('approved_by'),
  approvedAt: ms('approved_at'),
  ...tracked(),
}, (t) => [uniqueIndex('attendance_lesson_student').on(t.lessonId, t.studentId), index('attendance_student').on(t.studentId)]);

// Academic mobility and similar: excused once for a period, not lesson by lesson.
export const excusedPeriods = pgTable('excused_periods', {
  id: serialId(),
  studentId: integer('student_id').notNull().references(() => users.id),
  reasonId: integer('reason_id').notNull().references(() => absenceReasons.id),
  fromDate: text('from_date').notNull(),
  toDate: text('to_date').notNull(),
  documentRef: text('document_ref'),
  note: text('note'),
  ...tracked(),
}, (t) => [index('excused_student').on(t.studentId)]);

export const makeups = pgTable('makeups', {
  id: serialId(),
  lessonId: integer('lesson_id').notNull().references(() => lessons.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  status: text('status', { enum: MAKEUP_STATUSES }).notNull(),
  doneOn: text('done_on'),
  teacherId: integer('teacher_id').references(() => users.id),
  mark: integer('mark'),
  waiveReason: text('waive_reason'),
  ...tracked(),
}, (t) => [uniqueIndex('makeups_lesson_student').on(t.lessonId, t.studentId), index('makeups_student').on(t.studentId)]);

export const marks = pgTable('marks', {
  id: serialId(),
  lessonId: integer('lesson_id').notNull().references(() => lessons.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  value: integer('value'), // null = cleared, for the same reason as attendance.status
  comment: text('comment'),
  ...tracked(),
}, (t) => [uniqueIndex('marks_lesson_student').on(t.lessonId, t.studentId), index('marks_student').on(t.studentId)]);

// The dean's office may admit or bar a student regardless of the computed rule, with a written reason.
export const admissionOverrides = pgTable('admission_overrides', {
  id: serialId(),
  courseId: integer('course_id').notNull().references(() => courses.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  admitted: flag('admitted').notNull(),
  reason: text('reason').notNull(),
  ...tracked(),
}, (t) => [uniqueIndex('overrides_course_student').on(t.courseId, t.studentId)]);

export const disputes = pgTable('disputes', {
  id: serialId(),
  studentId: integer('student_id').notNull().references(() => users.id),
  lessonId: integer('lesson_id').notNull().references(() => lessons.id),
  subject: text('subject', { enum: ['mark', 'attendance'] }).notNull(),
  comment: text('comment').notNull(),
  status: text('status', { enum: ['open', 'accepted', 'rejected'] }).notNull().default('open'),
  answer: text('answer'),
  resolvedBy: integer('resolved_by'),
  resolvedAt: ms('resolved_at'),
  ...tracked(),
}, (t) => [index('disputes_student').on(t.studentId), index('disputes_lesson').on(t.lessonId)]);

// After a term is locked a teacher asks; the dean's office approves or rejects.
export const correctionRequests = pgTable('correction_requests', {
  id: serialId(),
  lessonId: integer('lesson_id').notNull().references(() => lessons.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  field: text('field', { enum: ['mark', 'attendance'] }).notNull(),
  newValue: text('new_value').notNull(), // the cell input as typed, re-validated on approval
  reason: text('reason').notNull(),
  requestedBy: integer('requested_by').notNull().references(() => users.id),
  status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull().default('pending'),
  decidedBy: integer('decided_by'),
  decidedAt: ms('decided_at'),
  decisionNote: text('decision_note'),
  ...tracked(),
}, (t) => [index('corrections_status').on(t.status)]);

// Stored so someone offline sees them on the next visit.
export const notifications = pgTable('notifications', {
  id: serialId(),
  userId: integer('user_id').notNull().references(() => users.id),
  kind: text('kind').notNull(),
  studentId: integer('student_id'),
  courseId: integer('course_id'),
  auditId: integer('audit_id'),
  payload: text('payload').notNull().default('{}'),
  createdAt: ms('created_at').notNull(),
  readAt: ms('read_at'),
}, (t) => [
  index('notifications_user').on(t.userId, t.readAt),
  // The publisher finds whose unread count a change moved by the audit rows it hands on.
  index('notifications_audit').on(t.auditId),
  // A save asks for the last admission notice of one student and course: without this, a scan of them all.
  index('notifications_student_course').on(t.studentId, t.courseId, t.kind),
]);

// Append-only and hash-chained: triggers (migration 0001) refuse UPDATE and DELETE; each row holds
// the hash of the previous one so a changed or missing row is found by `npm run audit:verify`.
export const auditLog = pgTable('audit_log', {
  id: serialId(), // appendAudit gives the id (the head's last_id + 1); the seed lets it be generated
  at: ms('at').notNull(),
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
export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey(),
  lastId: integer('last_id').notNull(),
  lastHash: text('last_hash').notNull(),
}, (t) => [check('audit_head_one_row', sql`${t.id} = 1`)]);

// A form's one-time token (issue 14, item 2): the action it submitted is done once, however often the
// browser sends it again; the repeat is shown the same outcome. Rows older than a day are dropped.
export const formTokens = pgTable('form_tokens', {
  token: text('token').primaryKey(),
  userId: integer('user_id').notNull(),
  usedAt: ms('used_at').notNull(),
  location: text('location').notNull(),
}, (t) => [index('form_tokens_used').on(t.usedAt)]);

// ---------- the session (issue 16) ----------
export const statements = pgTable('statements', {
  id: serialId(),
  number: text('number').notNull().unique(),
  courseId: integer('course_id').notNull().references(() => courses.id),
  groupId: integer('group_id').references(() => groups.id),
  kind: text('kind', { enum: STATEMENT_KINDS }).notNull(),
  date: text('date').notNull(),
  attempt: integer('attempt').notNull().default(1),
  status: text('status', { enum: STATEMENT_STATUSES }).notNull().default('open'),
  openedBy: integer('opened_by').notNull().references(() => users.id),
  closedBy: integer('closed_by'),
  closedAt: ms('closed_at'),
  countersignedBy: integer('countersigned_by'),
  countersignedAt: ms('countersigned_at'),
  ...tracked(),
}, (t) => [index('statements_course').on(t.courseId)]);

export const statementExaminers = pgTable('statement_examiners', {
  statementId: integer('statement_id').notNull().references(() => statements.id),
  teacherId: integer('teacher_id').notNull().references(() => users.id),
  position: integer('position').notNull(),
}, (t) => [primaryKey({ columns: [t.statementId, t.teacherId] }), index('statement_examiners_teacher').on(t.teacherId)]);

export const statementResults = pgTable('statement_results', {
  id: serialId(),
  statementId: integer('statement_id').notNull().references(() => statements.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  outcome: text('outcome', { enum: RESULT_OUTCOMES }),
  mark: integer('mark'),
  finalMark: integer('final_mark'),
  ...tracked(),
}, (t) => [uniqueIndex('statement_results_statement_student').on(t.statementId, t.studentId), index('statement_results_student').on(t.studentId)]);

export const academicDebts = pgTable('academic_debts', {
  id: serialId(),
  studentId: integer('student_id').notNull().references(() => users.id),
  courseId: integer('course_id').notNull().references(() => courses.id),
  statementId: integer('statement_id').notNull().references(() => statements.id),
  deadline: text('deadline').notNull(),
  clearedAt: ms('cleared_at'),
  clearedByStatementId: integer('cleared_by_statement_id'),
  ...tracked(),
}, (t) => [uniqueIndex('debts_statement_student').on(t.statementId, t.studentId), index('debts_student').on(t.studentId), index('debts_course').on(t.courseId)]);

export const statementCorrections = pgTable('statement_corrections', {
  id: serialId(),
  statementId: integer('statement_id').notNull().references(() => statements.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  newValue: text('new_value').notNull(),
  reason: text('reason').notNull(),
  requestedBy: integer('requested_by').notNull().references(() => users.id),
  status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull().default('pending'),
  decidedBy: integer('decided_by'),
  decidedAt: ms('decided_at'),
  decisionNote: text('decision_note'),
  ...tracked(),
}, (t) => [index('statement_corrections_statement').on(t.statementId, t.status)]);

// The session calendar (see db/schema.ts).
export const sessionDates = pgTable('session_dates', {
  id: serialId(),
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
export const mobilityPartners = pgTable('mobility_partners', {
  id: serialId(),
  nameOriginal: text('name_original').notNull(),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  country: text('country').notNull(),
  agreementNumber: text('agreement_number').notNull(),
  agreementFrom: text('agreement_from').notNull(),
  agreementTo: text('agreement_to'),
  ...tracked(),
});

export const mobilityCalls = pgTable('mobility_calls', {
  id: serialId(),
  partnerId: integer('partner_id').notNull().references(() => mobilityPartners.id),
  fromDate: text('from_date').notNull(),
  toDate: text('to_date').notNull(),
  programme: text('programme', { enum: PROGRAMMES }).notNull(),
  year: integer('year').notNull(),
  deadline: text('deadline').notNull(),
  weights: text('weights').notNull(),
  ...tracked(),
}, (t) => [index('mobility_calls_partner').on(t.partnerId)]);

export const mobilityQuotas = pgTable('mobility_quotas', {
  callId: integer('call_id').notNull().references(() => mobilityCalls.id),
  facultyId: integer('faculty_id').notNull().references(() => faculties.id),
  places: integer('places').notNull(),
}, (t) => [primaryKey({ columns: [t.callId, t.facultyId] })]);

export const mobilityApplications = pgTable('mobility_applications', {
  id: serialId(),
  callId: integer('call_id').notNull().references(() => mobilityCalls.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  facultyId: integer('faculty_id').notNull().references(() => faculties.id),
  motivation: text('motivation').notNull(),
  appliedAt: ms('applied_at').notNull(),
  activityPoints: integer('activity_points').notNull().default(0),
  achievementPoints: integer('achievement_points').notNull().default(0),
  pointsNote: text('points_note'),
  decision: text('decision', { enum: MOBILITY_DECISIONS }).notNull().default('pending'),
  decisionReason: text('decision_reason'),
  decidedBy: integer('decided_by'),
  decidedAt: ms('decided_at'),
  ...tracked(),
}, (t) => [uniqueIndex('mobility_applications_call_student').on(t.callId, t.studentId), index('mobility_applications_student').on(t.studentId)]);

export const mobilityPlacements = pgTable('mobility_placements', {
  id: serialId(),
  applicationId: integer('application_id').notNull().references(() => mobilityApplications.id),
  studentId: integer('student_id').notNull().references(() => users.id),
  partnerId: integer('partner_id').notNull().references(() => mobilityPartners.id),
  fromDate: text('from_date').notNull(),
  toDate: text('to_date').notNull(),
  orderNumber: text('order_number').notNull(),
  excusedPeriodId: integer('excused_period_id').references(() => excusedPeriods.id),
  cancelledAt: ms('cancelled_at'),
  ...tracked(),
}, (t) => [uniqueIndex('mobility_placements_application').on(t.applicationId), index('mobility_placements_student').on(t.studentId)]);

export const mobilityRecognitions = pgTable('mobility_recognitions', {
  id: serialId(),
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
export const mailRecipients = pgTable('mail_recipients', {
  userId: integer('user_id').primaryKey().references(() => users.id),
  address: text('address').notNull(),
  confirmedAt: ms('confirmed_at'),
  failingAt: ms('failing_at'),
  failingReason: text('failing_reason'),
  digestHour: integer('digest_hour').notNull().default(19),
  dailySlot: ms('daily_slot'),
  dailyThrough: integer('daily_through').notNull().default(0),
  weeklySlot: ms('weekly_slot'),
  weeklyThrough: integer('weekly_through').notNull().default(0),
  updatedAt: ms('updated_at').notNull(),
});

export const mailPrefs = pgTable('mail_prefs', {
  userId: integer('user_id').notNull().references(() => users.id),
  kind: text('kind').notNull(),
  mode: text('mode', { enum: MAIL_MODES }).notNull(),
}, (t) => [primaryKey({ columns: [t.userId, t.kind] })]);

export const mailOutbox = pgTable('mail_outbox', {
  id: serialId(),
  key: text('key').notNull().unique(),
  userId: integer('user_id'),
  address: text('address').notNull(),
  kind: text('kind').notNull(),
  ref: text('ref').notNull().default('{}'),
  state: text('state').notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  nextAt: ms('next_at').notNull(),
  claimedAt: ms('claimed_at'),
  sentAt: ms('sent_at'),
  lastError: text('last_error'),
  createdAt: ms('created_at').notNull(),
}, (t) => [index('mail_outbox_due').on(t.state, t.nextAt)]);
