import { defineStrings } from './i18n';

/** Messages for input that was refused, shared by every form and cell in the app. */
export const msg = defineStrings(
  {
    invalidInput: 'Some fields are not valid: {fields}.',
    required: 'This field is required.',
    tooLong: 'At most {max, plural, one {# character} other {# characters}}.',
    badEmail: 'Enter a valid e-mail address.',
    badDate: 'Enter a date as YYYY-MM-DD.',
    badNumber: 'Enter a whole number.',
    conflict: 'Someone changed this in the meantime. The current value is shown; nothing was overwritten.',
  },
  {
    invalidInput: 'Некоторые поля заполнены неверно: {fields}.',
    required: 'Обязательное поле.',
    tooLong: 'Не более {max, plural, one {# символа} other {# символов}}.',
    badEmail: 'Введите корректный адрес электронной почты.',
    badDate: 'Введите дату в формате ГГГГ-ММ-ДД.',
    badNumber: 'Введите целое число.',
    conflict: 'Кто-то изменил это одновременно с вами. Показано текущее значение; ничего не перезаписано.',
  },
);
