import { defineStrings } from '../i18n';

export const t = defineStrings(
  {
    title: 'My account',
    changePassword: 'Change password',
    current: 'Current password',
    next: 'New password',
    repeat: 'New password again',
    save: 'Change password',
    wrongCurrent: 'The current password is not right.',
    tooShort: 'The new password needs at least {min} characters.',
    mismatch: 'The two new passwords differ.',
    changed: 'Password changed. Every other device has been logged out.',
    nav: 'Account',
  },
  {
    title: 'Моя учётная запись',
    changePassword: 'Смена пароля',
    current: 'Текущий пароль',
    next: 'Новый пароль',
    repeat: 'Новый пароль ещё раз',
    save: 'Сменить пароль',
    wrongCurrent: 'Текущий пароль указан неверно.',
    tooShort: 'Новый пароль должен содержать не менее {min} символов.',
    mismatch: 'Новые пароли не совпадают.',
    changed: 'Пароль изменён. На всех остальных устройствах выполнен выход.',
    nav: 'Учётная запись',
  },
);
