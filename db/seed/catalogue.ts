// What a medical university teaches, who teaches it, and why students miss classes.
type Lang = 'ru' | 'en';

export const DEPARTMENTS = [
  { code: 'ANAT', ru: 'Кафедра нормальной анатомии', en: 'Department of Normal Anatomy' },
  { code: 'PHYS', ru: 'Кафедра нормальной физиологии', en: 'Department of Normal Physiology' },
  { code: 'HIST', ru: 'Кафедра гистологии, цитологии и эмбриологии', en: 'Department of Histology, Cytology and Embryology' },
  { code: 'BIOCHEM', ru: 'Кафедра биологической химии', en: 'Department of Biological Chemistry' },
  { code: 'LAT', ru: 'Кафедра латинского языка', en: 'Department of the Latin Language' },
  { code: 'MEDBIO', ru: 'Кафедра медицинской биологии и общей генетики', en: 'Department of Medical Biology and General Genetics' },
  { code: 'PATHPHYS', ru: 'Кафедра патологической физиологии', en: 'Department of Pathological Physiology' },
];

export const SUBJECTS = [
  { code: 'ANAT', dept: 'ANAT', ru: 'Анатомия человека', en: 'Human Anatomy' },
  { code: 'PHYS', dept: 'PHYS', ru: 'Нормальная физиология', en: 'Normal Physiology' },
  { code: 'HIST', dept: 'HIST', ru: 'Гистология, цитология, эмбриология', en: 'Histology, Cytology and Embryology' },
  { code: 'BIOCHEM', dept: 'BIOCHEM', ru: 'Биологическая химия', en: 'Biochemistry' },
  { code: 'LAT', dept: 'LAT', ru: 'Латинский язык', en: 'Latin' },
  { code: 'MEDBIO', dept: 'MEDBIO', ru: 'Медицинская биология и общая генетика', en: 'Medical Biology and General Genetics' },
  { code: 'PATHPHYS', dept: 'PATHPHYS', ru: 'Патологическая физиология', en: 'Pathophysiology' },
];

export const REASONS = [
  { code: 'illness', ru: 'Болезнь (справка)', en: 'Illness (medical certificate)', makeup: true },
  { code: 'family', ru: 'Семейные обстоятельства', en: 'Family circumstances', makeup: true },
  { code: 'donation', ru: 'Донорство крови', en: 'Blood donation', makeup: false },
  { code: 'bereavement', ru: 'Смерть близкого родственника', en: 'Bereavement', makeup: false },
  { code: 'summons', ru: 'Повестка (военкомат, суд)', en: 'Summons (military office, court)', makeup: false },
  { code: 'event', ru: 'Мероприятие по распоряжению ректора (спорт, олимпиада)', en: "Event sanctioned by the rector (sports, olympiad)", makeup: false },
  { code: 'mobility', ru: 'Академическая мобильность (стажировка в вузе-партнёре)', en: 'Academic mobility (placement at a partner university)', makeup: false },
];

// Those who teach the English-language groups have their passport's Latin line recorded (Belarusian passports
// transliterate from Belarusian: Ольга → VOLHA). The type names `latin` for all.
export const TEACHERS: { email: string; surname: string; given: string; patronymic: string; latin?: string; dept: string }[] = [
  { email: 'teacher@demo.test', surname: 'Савицкий', given: 'Андрей', patronymic: 'Викторович', latin: 'SAVITSKII Andrei', dept: 'ANAT' },
  { email: 'teacher2@demo.test', surname: 'Новикова', given: 'Татьяна', patronymic: 'Игоревна', dept: 'ANAT' },
  { email: 'i.yaroshevich@demo.test', surname: 'Ярошевич', given: 'Ирина', patronymic: 'Андреевна', latin: 'YAROSHEVICH Iryna', dept: 'ANAT' },
  { email: 'i.kovaleva@demo.test', surname: 'Ковалёва', given: 'Ирина', patronymic: 'Николаевна', dept: 'PHYS' },
  { email: 'p.zaitsev@demo.test', surname: 'Зайцев', given: 'Павел', patronymic: 'Олегович', latin: 'ZAITSAU Pavel', dept: 'PHYS' },
  { email: 'teacher-parent@demo.test', surname: 'Лукашевич', given: 'Елена', patronymic: 'Владимировна', dept: 'HIST' },
  { email: 's.romanovich@demo.test', surname: 'Романович', given: 'Сергей', patronymic: 'Петрович', dept: 'HIST' },
  { email: 'o.pashkevich@demo.test', surname: 'Пашкевич', given: 'Ольга', patronymic: 'Дмитриевна', latin: 'PASHKEVICH Volha', dept: 'HIST' },
  { email: 'm.stankevich@demo.test', surname: 'Станкевич', given: 'Марина', patronymic: 'Юрьевна', dept: 'BIOCHEM' },
  { email: 'o.karpovich@demo.test', surname: 'Карпович', given: 'Олег', patronymic: 'Васильевич', latin: 'KARPOVICH Aleh', dept: 'BIOCHEM' },
  { email: 'n.adamovich@demo.test', surname: 'Адамович', given: 'Наталья', patronymic: 'Сергеевна', dept: 'LAT' },
  { email: 'l.gorbach@demo.test', surname: 'Горбач', given: 'Людмила', patronymic: 'Ивановна', latin: 'HORBACH Liudmila', dept: 'LAT' },
  { email: 'a.dubovik@demo.test', surname: 'Дубовик', given: 'Алексей', patronymic: 'Николаевич', dept: 'MEDBIO' },
  { email: 'v.malinovsky@demo.test', surname: 'Малиновский', given: 'Виктор', patronymic: 'Геннадьевич', dept: 'PATHPHYS' },
];

type Course = { subject: string; groups: string[]; scale: 'ten' | 'pass_fail'; lang: Lang; lab?: boolean; teachers: { email: string; role: 'lecturer' | 'assistant' }[]; rules?: object };
const PASS_FAIL_RULES = { admission: { minRating: null }, finalRule: { kind: 'exam_only' } };
const L = (email: string) => ({ email, role: 'lecturer' as const });
const A = (email: string) => ({ email, role: 'assistant' as const });

export const COURSES: Course[] = [
  { subject: 'ANAT', groups: ['1101', '1102', '1103'], scale: 'ten', lang: 'ru', teachers: [L('teacher@demo.test'), A('teacher2@demo.test')], rules: { admission: { absenceCapPercent: 30, minRating: 4 } } },
  { subject: 'HIST', groups: ['1101', '1102', '1103'], scale: 'ten', lang: 'ru', lab: true, teachers: [L('teacher-parent@demo.test'), A('s.romanovich@demo.test')] },
  { subject: 'MEDBIO', groups: ['1101', '1102', '1103'], scale: 'ten', lang: 'ru', teachers: [L('a.dubovik@demo.test')] },
  { subject: 'LAT', groups: ['1101'], scale: 'pass_fail', lang: 'ru', teachers: [L('n.adamovich@demo.test')], rules: PASS_FAIL_RULES },
  { subject: 'LAT', groups: ['1102'], scale: 'pass_fail', lang: 'ru', teachers: [L('n.adamovich@demo.test')], rules: PASS_FAIL_RULES },
  { subject: 'LAT', groups: ['1103'], scale: 'pass_fail', lang: 'ru', teachers: [L('n.adamovich@demo.test')], rules: PASS_FAIL_RULES },
  { subject: 'PHYS', groups: ['1201', '1202'], scale: 'ten', lang: 'ru', teachers: [L('i.kovaleva@demo.test'), A('p.zaitsev@demo.test')] },
  { subject: 'BIOCHEM', groups: ['1201', '1202'], scale: 'ten', lang: 'ru', lab: true, teachers: [L('m.stankevich@demo.test'), A('o.karpovich@demo.test')] },
  { subject: 'ANAT', groups: ['1201', '1202'], scale: 'ten', lang: 'ru', teachers: [L('teacher@demo.test'), A('i.yaroshevich@demo.test')] },
  { subject: 'PATHPHYS', groups: ['1301'], scale: 'ten', lang: 'ru', teachers: [L('v.malinovsky@demo.test')] },
  { subject: 'ANAT', groups: ['E101', 'E102'], scale: 'ten', lang: 'en', teachers: [L('teacher@demo.test'), A('i.yaroshevich@demo.test')] },
  { subject: 'HIST', groups: ['E101', 'E102'], scale: 'ten', lang: 'en', lab: true, teachers: [L('o.pashkevich@demo.test')] },
  { subject: 'LAT', groups: ['E101', 'E102'], scale: 'pass_fail', lang: 'en', teachers: [L('l.gorbach@demo.test')], rules: PASS_FAIL_RULES },
  { subject: 'PHYS', groups: ['E201'], scale: 'ten', lang: 'en', teachers: [L('p.zaitsev@demo.test')] },
  { subject: 'BIOCHEM', groups: ['E201'], scale: 'ten', lang: 'en', lab: true, teachers: [L('o.karpovich@demo.test')] },
];

export const TOPICS: Record<string, Record<Lang, string[]>> = {
  ANAT: {
    ru: ['Кости туловища', 'Кости черепа', 'Соединения костей', 'Мышцы спины и груди', 'Мышцы шеи', 'Мышцы верхней конечности', 'Мышцы нижней конечности', 'Полость рта и глотка', 'Пищевод и желудок', 'Печень и поджелудочная железа', 'Сердце'],
    en: ['Bones of the trunk', 'Bones of the skull', 'Joints', 'Muscles of the back and chest', 'Muscles of the neck', 'Muscles of the upper limb', 'Muscles of the lower limb', 'Oral cavity and pharynx', 'Oesophagus and stomach', 'Liver and pancreas', 'The heart'],
  },
  PHYS: {
    ru: ['Возбудимые ткани', 'Физиология синапса', 'Физиология мышц', 'Рефлекс и рефлекторная дуга', 'Спинной мозг', 'Вегетативная нервная система', 'Физиология крови', 'Группы крови', 'Сердечный цикл', 'Регуляция кровообращения'],
    en: ['Excitable tissues', 'Synaptic transmission', 'Muscle physiology', 'Reflexes and the reflex arc', 'The spinal cord', 'The autonomic nervous system', 'Blood physiology', 'Blood groups', 'The cardiac cycle', 'Regulation of circulation'],
  },
  HIST: {
    ru: ['Микроскоп и гистологическая техника', 'Цитология: клеточная мембрана', 'Ядро клетки', 'Эпителиальные ткани', 'Кровь и лимфа', 'Соединительные ткани', 'Хрящевая и костная ткани', 'Мышечные ткани', 'Нервная ткань', 'Эмбриология: оплодотворение'],
    en: ['The microscope and histological technique', 'Cytology: the cell membrane', 'The nucleus', 'Epithelial tissues', 'Blood and lymph', 'Connective tissues', 'Cartilage and bone', 'Muscle tissues', 'Nervous tissue', 'Embryology: fertilisation'],
  },
  BIOCHEM: {
    ru: ['Строение белков', 'Ферменты', 'Витамины', 'Биологическое окисление', 'Обмен углеводов', 'Гликолиз', 'Обмен липидов', 'Обмен аминокислот', 'Биосинтез белка', 'Гормоны'],
    en: ['Protein structure', 'Enzymes', 'Vitamins', 'Biological oxidation', 'Carbohydrate metabolism', 'Glycolysis', 'Lipid metabolism', 'Amino acid metabolism', 'Protein biosynthesis', 'Hormones'],
  },
  LAT: {
    ru: ['Алфавит и правила чтения', 'Существительные I склонения', 'Анатомическая терминология', 'Прилагательные', 'Клиническая терминология', 'Греко-латинские дублеты', 'Рецепт: структура', 'Химическая номенклатура', 'Латинские афоризмы', 'Глагол'],
    en: ['The alphabet and pronunciation', 'Nouns of the first declension', 'Anatomical terminology', 'Adjectives', 'Clinical terminology', 'Greek and Latin doublets', 'The prescription', 'Chemical nomenclature', 'Latin aphorisms', 'The verb'],
  },
  MEDBIO: {
    ru: ['Клетка как биологическая система', 'Размножение клеток: митоз', 'Мейоз и гаметогенез', 'Законы Менделя', 'Сцепленное наследование', 'Изменчивость', 'Генетика человека: методы', 'Медицинская паразитология: простейшие', 'Гельминты', 'Членистоногие'],
    en: ['The cell as a biological system', 'Cell division: mitosis', 'Meiosis and gametogenesis', "Mendel's laws", 'Linked inheritance', 'Variation', 'Methods of human genetics', 'Medical parasitology: protozoa', 'Helminths', 'Arthropods'],
  },
  PATHPHYS: {
    ru: ['Повреждение клетки', 'Воспаление', 'Лихорадка', 'Гипоксия', 'Нарушения кислотно-основного состояния', 'Патология периферического кровообращения', 'Аллергия', 'Патофизиология опухолевого роста', 'Анемии', 'Лейкозы'],
    en: ['Cell injury', 'Inflammation', 'Fever', 'Hypoxia', 'Acid–base disorders', 'Disorders of peripheral circulation', 'Allergy', 'Tumour growth', 'Anaemias', 'Leukaemias'],
  },
};
