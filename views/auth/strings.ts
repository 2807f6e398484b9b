import { defineStrings } from '../i18n';

export const t = defineStrings(
  {
    title: 'Log in',
    intro: 'Marks, attendance and make-ups of the university, for teachers, students, parents and the dean’s office.',
    email: 'E-mail',
    password: 'Password',
    submit: 'Log in',
    failed: 'Wrong e-mail or password.',
    tooMany: 'Too many attempts. Wait 15 minutes and try again.',
    demoTitle: 'Demo accounts',
    demoHint: 'Every demo account uses the password {password}.',
  },
  {
    title: 'Вход',
    intro: 'Оценки, посещаемость и отработки университета — для преподавателей, студентов, родителей и деканата.',
    email: 'Электронная почта',
    password: 'Пароль',
    submit: 'Войти',
    failed: 'Неверный адрес почты или пароль.',
    tooMany: 'Слишком много попыток. Подождите 15 минут и попробуйте снова.',
    demoTitle: 'Демо-учётные записи',
    demoHint: 'У всех демо-учётных записей пароль {password}.',
  },
);
