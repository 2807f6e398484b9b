import { defineStrings } from '../i18n';

export const t = defineStrings(
  {
    title: 'Log in',
    intro: 'Marks, attendance and make-ups of the university, for teachers, students, parents and the dean’s office.',
    email: 'E-mail',
    password: 'Password',
    submit: 'Log in',
    failed: 'Wrong e-mail or password.',
    tooMany: 'Too many failed attempts to log in to this account. Try again at {time} (in {minutes} min).',
    tooManyAddress: 'Too many failed logins from your network. Try again at {time} (in {minutes} min).',
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
    tooMany: 'Слишком много неудачных попыток входа в эту учётную запись. Попробуйте снова в {time} (через {minutes} мин).',
    tooManyAddress: 'Слишком много неудачных попыток входа из вашей сети. Попробуйте снова в {time} (через {minutes} мин).',
    demoTitle: 'Демо-учётные записи',
    demoHint: 'У всех демо-учётных записей пароль {password}.',
  },
);
