// Plausible people: Belarusian and Russian names with their gender forms, and the countries most
// of BSMU's international students come from.
export const SURNAMES: [string, string][] = [
  ['Ковалёв', 'Ковалёва'], ['Новиков', 'Новикова'], ['Жук', 'Жук'], ['Лукашевич', 'Лукашевич'], ['Савицкий', 'Савицкая'],
  ['Климович', 'Климович'], ['Кравченко', 'Кравченко'], ['Мельник', 'Мельник'], ['Шевчук', 'Шевчук'], ['Козлов', 'Козлова'],
  ['Романович', 'Романович'], ['Василевский', 'Василевская'], ['Ярошевич', 'Ярошевич'], ['Бондаренко', 'Бондаренко'], ['Горбач', 'Горбач'],
  ['Петров', 'Петрова'], ['Соколов', 'Соколова'], ['Михайлов', 'Михайлова'], ['Карпович', 'Карпович'], ['Дубовик', 'Дубовик'],
  ['Левченко', 'Левченко'], ['Сидоренко', 'Сидоренко'], ['Станкевич', 'Станкевич'], ['Зайцев', 'Зайцева'], ['Морозов', 'Морозова'],
  ['Пашкевич', 'Пашкевич'], ['Гринчук', 'Гринчук'], ['Титов', 'Титова'], ['Белый', 'Белая'], ['Малиновский', 'Малиновская'],
  ['Рябцев', 'Рябцева'], ['Артёменко', 'Артёменко'], ['Кузьмич', 'Кузьмич'], ['Цыбулько', 'Цыбулько'], ['Адамович', 'Адамович'],
];
export const MALE = ['Александр', 'Дмитрий', 'Максим', 'Артём', 'Иван', 'Никита', 'Егор', 'Кирилл', 'Владислав', 'Павел', 'Андрей', 'Михаил', 'Илья', 'Денис', 'Евгений'];
export const FEMALE = ['Анастасия', 'Дарья', 'Анна', 'Мария', 'Екатерина', 'Полина', 'Алина', 'Виктория', 'Елизавета', 'Ксения', 'Юлия', 'Валерия', 'Ольга', 'Софья', 'Вероника'];
export const FATHERS = ['Александр', 'Сергей', 'Владимир', 'Игорь', 'Николай', 'Виктор', 'Андрей', 'Олег', 'Юрий', 'Василий', 'Геннадий', 'Дмитрий'];

export function patronymic(father: string, female: boolean): string {
  const stem = father === 'Николай' ? 'Николаев' : father === 'Василий' ? 'Васильев' : father === 'Геннадий' ? 'Геннадьев' : father === 'Юрий' ? 'Юрьев'
    : father === 'Андрей' ? 'Андреев' : father === 'Сергей' ? 'Сергеев' : father + 'ов';
  return stem + (female ? 'на' : 'ич');
}

const LAT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'h', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r',
  с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};
export function latin(s: string): string {
  return [...s.toLowerCase()].map((c) => LAT[c] ?? c).join('').replace(/[^a-z]/g, '');
}

/**
 * Foreign students: the registry writes their names in Cyrillic (the order's and the diploma's form), the
 * passport in Latin script. Each name is [Latin, Cyrillic]; the e-mail is built from the Latin one.
 */
export type ForeignName = [latin: string, cyrillic: string];
export type Foreign = { country: string; tz: string; surnames: ForeignName[]; male: ForeignName[]; female: ForeignName[] };
export const FOREIGN: Foreign[] = [
  { country: 'India', tz: 'Asia/Kolkata', surnames: [['Sharma', 'Шарма'], ['Patel', 'Патель'], ['Nair', 'Наир'], ['Reddy', 'Редди'], ['Iyer', 'Айер']],
    male: [['Rohan', 'Рохан'], ['Arjun', 'Арджун'], ['Vikram', 'Викрам']], female: [['Priya', 'Прия'], ['Ananya', 'Ананья'], ['Kavya', 'Кавья']] },
  { country: 'Sri Lanka', tz: 'Asia/Colombo', surnames: [['Perera', 'Перера'], ['Fernando', 'Фернандо'], ['Silva', 'Силва'], ['Jayasuriya', 'Джаясурия']],
    male: [['Nuwan', 'Нуван'], ['Kasun', 'Касун']], female: [['Kavindi', 'Кавинди'], ['Dilini', 'Дилини'], ['Tharushi', 'Таруши']] },
  { country: 'Turkmenistan', tz: 'Asia/Ashgabat', surnames: [['Annayev', 'Аннаев'], ['Orazov', 'Оразов'], ['Berdiyev', 'Бердыев']],
    male: [['Serdar', 'Сердар'], ['Merdan', 'Мердан'], ['Batyr', 'Батыр']], female: [['Aylar', 'Айлар'], ['Ogulnabat', 'Огулнабат']] },
  { country: 'Iran', tz: 'Asia/Tehran', surnames: [['Rahimi', 'Рахими'], ['Hosseini', 'Хоссейни'], ['Karimi', 'Карими']],
    male: [['Amir', 'Амир'], ['Reza', 'Реза']], female: [['Parisa', 'Париса'], ['Sara', 'Сара']] },
  { country: 'Lebanon', tz: 'Asia/Beirut', surnames: [['Haddad', 'Хаддад'], ['Khoury', 'Хури'], ['Nassar', 'Нассар']],
    male: [['Karim', 'Карим'], ['Elie', 'Эли']], female: [['Maya', 'Майя'], ['Rana', 'Рана']] },
  { country: 'Nigeria', tz: 'Africa/Lagos', surnames: [['Okafor', 'Окафор'], ['Adeyemi', 'Адейеми'], ['Eze', 'Эзе']],
    male: [['Chinedu', 'Чинеду'], ['Tunde', 'Тунде']], female: [['Ngozi', 'Нгози'], ['Amaka', 'Амака']] },
  { country: 'China', tz: 'Asia/Shanghai', surnames: [['Wang', 'Ван'], ['Li', 'Ли'], ['Zhang', 'Чжан']],
    male: [['Wei', 'Вэй'], ['Hao', 'Хао']], female: [['Mei', 'Мэй'], ['Xiu', 'Сю']] },
  { country: 'Syria', tz: 'Asia/Damascus', surnames: [['Al-Hassan', 'Аль-Хассан'], ['Darwish', 'Дарвиш']],
    male: [['Omar', 'Омар'], ['Yousef', 'Юсеф']], female: [['Lina', 'Лина'], ['Nour', 'Нур']] },
  { country: 'Turkey', tz: 'Europe/Istanbul', surnames: [['Yilmaz', 'Йылмаз'], ['Demir', 'Демир'], ['Kaya', 'Кая']],
    male: [['Emre', 'Эмре'], ['Mehmet', 'Мехмет']], female: [['Elif', 'Элиф'], ['Zeynep', 'Зейнеп']] },
  { country: 'Pakistan', tz: 'Asia/Karachi', surnames: [['Khan', 'Хан'], ['Qureshi', 'Куреши'], ['Malik', 'Малик']],
    male: [['Ali', 'Али'], ['Hamza', 'Хамза']], female: [['Ayesha', 'Айеша'], ['Fatima', 'Фатима']] },
  { country: 'Iraq', tz: 'Asia/Baghdad', surnames: [['Al-Jaburi', 'Аль-Джабури'], ['Kadhim', 'Кадим']],
    male: [['Mustafa', 'Мустафа'], ['Hussein', 'Хусейн']], female: [['Zahraa', 'Захраа'], ['Noor', 'Нур']] },
];

/**
 * A Russian-script name as a Belarusian passport writes it in Latin script ("IVANOVA Anna"): the surname in
 * capitals, then the given name; the patronymic is not on the Latin line.
 */
export function passportLatin(surname: string, given: string): string {
  const word = (w: string) => {
    const l = latinPassport(w);
    return l.charAt(0).toUpperCase() + l.slice(1);
  };
  return `${latinPassport(surname).toUpperCase()} ${word(given)}`;
}

// The Belarusian passport's transliteration of Russian names (close to ICAO 9303; г → h as in Belarusian).
const PASSPORT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'h', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p',
  р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
  '-': '-',
};
function latinPassport(s: string): string {
  return [...s.toLowerCase()].map((c) => PASSPORT[c] ?? c).join('');
}
