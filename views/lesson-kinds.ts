import { defineStrings } from './i18n';
import type { Lang, LessonKind } from '../db/schema';

const t = defineStrings(
  { lecture: 'lecture', practical: 'practical', laboratory: 'laboratory', seminar: 'seminar', colloquium: 'colloquium', credit: 'credit', exam: 'exam' },
  { lecture: 'лекция', practical: 'практическое', laboratory: 'лабораторное', seminar: 'семинар', colloquium: 'коллоквиум', credit: 'зачёт', exam: 'экзамен' },
);
const short = defineStrings(
  { lecture: 'Lec', practical: 'Pr', laboratory: 'Lab', seminar: 'Sem', colloquium: 'Coll', credit: 'Cr', exam: 'Ex' },
  { lecture: 'Лк', practical: 'Пр', laboratory: 'Лаб', seminar: 'Сем', colloquium: 'Кол', credit: 'Зч', exam: 'Экз' },
);

export function kindLabel(lang: Lang, kind: string): string {
  return t(lang, kind as LessonKind) ?? kind;
}
export function kindShort(lang: Lang, kind: string): string {
  return short(lang, kind as LessonKind) ?? kind;
}
