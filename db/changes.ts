// What the change stream carries: a committed audit row, read back by the publisher and handed to
// every subscriber (caches, live pages, notifications). It lives in db/ because the store writes it.

export type Change = {
  auditId: number; // the audit row of the change: also the event id clients catch up from
  entity: string; // 'mark' | 'attendance' | 'makeup' | 'lesson' | 'guardian_link' | …
  action: string; // the audit action, e.g. 'mark.update'
  courseId: number | null;
  studentId: number | null;
  lessonId: number | null;
  actorId: number | null;
  /** The audit row's entity id (a user's id for `audit:user`); the session cache drops what it names. */
  entityId?: number | null;
};
