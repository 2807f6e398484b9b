import { describe, it, expect } from 'vitest';
import { actionLabel, describeChange, referencedIds, roleLabel, type AuditNames } from '../../views/audit/words';

const names: AuditNames = {
  users: new Map([[4, 'Савицкий Андрей Викторович']]), groups: new Map([[2, '1102']]),
  reasons: new Map([[1, { ru: 'Болезнь (справка)', en: 'Illness (medical certificate)' }]]), faculties: new Map(),
};
const row = (action: string, before: object | null, after: object | null, scaleKind: string | null = 'points') =>
  ({ action, entity: action.split('.')[0], before: before && JSON.stringify(before), after: after && JSON.stringify(after), scaleKind });

describe('the audit trail in words', () => {
  it('actions, roles, fields and values in both languages; names instead of ids', () => {
    expect(actionLabel('ru', 'attendance.create')).toBe('Отмечена посещаемость');
    expect(actionLabel('en', 'dispute.accept')).toBe('Dispute accepted');
    expect(actionLabel('en', 'something.new')).toBe('something.new');
    expect(roleLabel('ru', 'teacher')).toBe('Преподаватель');
    const att = row('attendance.update', { status: 'absent', reasonStatus: 'unknown', reasonId: null, version: 1 }, { status: 'absent', reasonStatus: 'excused', reasonId: 1, version: 2 });
    expect(describeChange('ru', 'Europe/Minsk', att, names)).toBe('причина: пока не указана → уважительная; указанная причина: — → Болезнь (справка)');
    expect(describeChange('en', 'Europe/Minsk', att, names)).toBe('reason: not given yet → excused; reason given: — → Illness (medical certificate)');
    expect(describeChange('ru', 'UTC', row('course.teacher_add', null, { teacherId: 4, role: 'lecturer' }), names)).toContain('преподаватель: Савицкий Андрей Викторович');
    expect(describeChange('ru', 'UTC', row('dispute.accept', { status: 'open' }, { status: 'accepted', answer: 'Да' }), names)).toBe('статус: открыта → принята; ответ: — → Да');
    expect(describeChange('en', 'UTC', row('course.teacher_add', null, { teacherId: 99 }), names)).toBe('teacher: No. 99');
    expect(referencedIds([att, row('x.y', null, { teacherId: 4, groupId: 2 })])).toEqual({ users: [4], groups: [2], reasons: [1], faculties: [] });
  });

  it('a first entry says what it set, without empty fields or a reason beside a presence', () => {
    expect(describeChange('ru', 'UTC', row('attendance.create', null, { status: 'present', reasonStatus: 'unknown', reasonId: null, version: 1 }))).toBe('посещаемость: присутствие');
  });

  it('a pass/fail mark reads зачтено / не зачтено, never "оценка 1"', () => {
    expect(describeChange('ru', 'UTC', row('mark.update', { value: 0 }, { value: 1 }, 'pass_fail'))).toBe('оценка: не зачтено → зачтено');
    expect(describeChange('en', 'UTC', row('mark.create', null, { value: 1 }, 'pass_fail'))).toBe('mark: pass');
    expect(describeChange('ru', 'UTC', row('mark.create', null, { value: 7 }))).toBe('оценка: 7');
  });
});
