// The five tables of the Reports page: columns, headers, how each cell sorts and exports.
import { html } from '../html';
import type { Lang } from '../../db/schema';
import { formatDay, formatNumber } from '../format';
import { translateKey } from '../translate';
import type { CompletenessRow, CourseReportRow, TeacherReportRow } from '../../db/queries/reports';
import type { Table } from './sortable-table';
import { t } from './strings';

type Key = Parameters<typeof t>[1];
const label = (k: Key) => (lang: Lang) => t(lang, k);

export type AtRisk = { studentId: number; courseId: number; name: string; groupName: string; subject: string; reasons: { code: string; params: Record<string, string | number> }[] };
export type CourseRow = CourseReportRow & { notAdmitted: number };
export type GroupRow = { id: number; name: string; students: number; absentPercent: number | null; missing: number };

const pct = (v: number | null, lang: Lang) => formatNumber(v, lang);
const mark = (v: number | null, lang: Lang) => formatNumber(v, lang, 2);

export const atRiskTable: Table<AtRisk> = {
  id: 'at-risk', param: 'sort', defaultSort: 'group', title: label('atRisk'), sheet: label('sheetRisk'),
  columns: [
    { key: 'name', label: label('student'), value: (r) => r.name, show: (r) => html`<a href="/students/${r.studentId}">${r.name}</a>`, width: 28 },
    { key: 'group', label: label('group'), value: (r) => r.groupName, width: 8 },
    { key: 'subject', label: label('subject'), value: (r) => r.subject, width: 32 },
    { key: 'why', label: label('why'), value: (r, lang) => r.reasons.map((x) => translateKey(lang, x.code, x.params)).join('; '), width: 60 },
  ],
};

export const courseTable: Table<CourseRow> = {
  id: 'by-course', param: 'sortCourse', defaultSort: 'subject', title: label('byCourse'), sheet: label('sheetCourses'),
  columns: [
    { key: 'subject', label: label('subject'), value: (r, lang) => (lang === 'ru' ? r.subjectRu : r.subjectEn), show: (r, lang) => html`<a href="/courses/${r.courseId}">${lang === 'ru' ? r.subjectRu : r.subjectEn}</a>`, width: 36 },
    { key: 'groups', label: label('groups'), value: (r) => r.groups, width: 18 },
    { key: 'teachers', label: label('teachers'), value: (r) => r.teachers, width: 32 },
    { key: 'students', label: label('students'), value: (r) => r.students, num: true, width: 10 },
    { key: 'mark', label: label('avgMark'), value: (r) => r.avgMark, show: (r, lang) => mark(r.avgMark, lang), num: true, width: 12 },
    { key: 'absent', label: label('absentPct'), value: (r) => r.absentPercent, show: (r, lang) => pct(r.absentPercent, lang), num: true, width: 12, numFmt: '0.0' },
    { key: 'notAdmitted', label: label('notAdmitted'), value: (r) => r.notAdmitted, num: true, width: 12 },
  ],
};

export const teacherTable: Table<TeacherReportRow> = {
  id: 'by-teacher', param: 'sortTeacher', defaultSort: 'teacher', title: label('byTeacher'), sheet: label('sheetTeachers'),
  columns: [
    { key: 'teacher', label: label('teacher'), value: (r) => r.teacher, width: 28 },
    { key: 'courses', label: label('courses'), value: (r) => r.courses, num: true, width: 10 },
    { key: 'mark', label: label('avgMark10'), value: (r) => r.avgMark10, show: (r, lang) => mark(r.avgMark10, lang), num: true, width: 14, numFmt: '0.00' },
    { key: 'absent', label: label('absentPct'), value: (r) => r.absentPercent, show: (r, lang) => pct(r.absentPercent, lang), num: true, width: 12, numFmt: '0.0' },
    { key: 'missing', label: label('withoutAttendance'), value: (r) => r.missing, num: true, width: 14 },
  ],
};

export const groupTable: Table<GroupRow> = {
  id: 'by-group', param: 'sortGroup', defaultSort: 'group', title: label('attendanceByGroup'), sheet: label('sheetGroups'),
  columns: [
    { key: 'group', label: label('group'), value: (r) => r.name, rowHeader: true, width: 10 },
    { key: 'students', label: label('students'), value: (r) => r.students, num: true, width: 10 },
    { key: 'absent', label: label('absentPct'), value: (r) => r.absentPercent, show: (r, lang) => pct(r.absentPercent, lang), num: true, width: 12, numFmt: '0.0' },
    { key: 'missing', label: label('withoutAttendance'), value: (r) => r.missing, num: true, width: 14 },
  ],
};

export const completenessTable: Table<CompletenessRow> = {
  id: 'completeness', param: 'sortCompl', defaultSort: '-missing', title: label('sheetCompleteness'), sheet: label('sheetCompleteness'),
  columns: [
    { key: 'teacher', label: label('teacher'), value: (r) => r.teacher, width: 28 },
    { key: 'department', label: label('department'), value: (r, lang) => (lang === 'ru' ? r.department : r.departmentEn), width: 36 },
    { key: 'missing', label: label('withoutAttendance'), value: (r) => r.missing, num: true, width: 14 },
    { key: 'oldest', label: label('oldest'), value: (r) => r.oldest, show: (r, lang) => (r.oldest ? formatDay(r.oldest, lang) : ''), width: 12 },
  ],
};

export const REPORT_TABLES = { risk: atRiskTable, course: courseTable, teacher: teacherTable, group: groupTable, completeness: completenessTable } as const;
export type ReportTableName = keyof typeof REPORT_TABLES;
export type ReportRows = { risk: AtRisk[]; course: CourseRow[]; teacher: TeacherReportRow[]; group: GroupRow[]; completeness: CompletenessRow[] };
