import { defineStrings } from '../i18n';

export const t = defineStrings(
  {
    title: 'Notifications',
    none: 'No notifications.',
    markAll: 'Mark all as read',
    mark: '{subject}, {date}: mark {value}',
    absence: '{subject}, {date}: absence',
    admitted: '{subject}: admitted to the exam again',
    notAdmitted: '{subject}: not admitted to the exam — see why on the course page',
    disputeAccepted: '{subject}, {date}: your dispute was accepted',
    disputeRejected: '{subject}, {date}: your dispute was answered (rejected)',
    badge: '{n, plural, one {# unread notification} other {# unread notifications}}',
    settings: 'Which events notify',
  },
  {
    title: 'Уведомления',
    none: 'Уведомлений нет.',
    markAll: 'Отметить все как прочитанные',
    mark: '{subject}, {date}: оценка {value}',
    absence: '{subject}, {date}: пропуск',
    admitted: '{subject}: снова допущен(а) к экзамену',
    notAdmitted: '{subject}: нет допуска к экзамену — причины на странице курса',
    disputeAccepted: '{subject}, {date}: апелляция принята',
    disputeRejected: '{subject}, {date}: на апелляцию дан ответ (отклонена)',
    badge: '{n, plural, one {# непрочитанное уведомление} few {# непрочитанных уведомления} other {# непрочитанных уведомлений}}',
    settings: 'О каких событиях сообщать',
  },
);
