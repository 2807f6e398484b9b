import { defineStrings } from '../i18n';

export const t = defineStrings(
  {
    title: 'Notifications',
    none: 'No notifications.',
    markAll: 'Mark all as read',
    mark: '{subject}, {date}: mark {value}',
    absence: '{subject}, {date}: absence',
    badge: '{n} unread notifications',
    settings: 'Which events notify',
  },
  {
    title: 'Уведомления',
    none: 'Уведомлений нет.',
    markAll: 'Отметить все как прочитанные',
    mark: '{subject}, {date}: оценка {value}',
    absence: '{subject}, {date}: пропуск',
    badge: 'Непрочитанных уведомлений: {n}',
    settings: 'О каких событиях сообщать',
  },
);
