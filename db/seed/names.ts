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

export type Foreign = { country: string; tz: string; surnames: string[]; male: string[]; female: string[] };
export const FOREIGN: Foreign[] = [
  { country: 'India', tz: 'Asia/Kolkata', surnames: ['Sharma', 'Patel', 'Nair', 'Reddy', 'Iyer'], male: ['Rohan', 'Arjun', 'Vikram'], female: ['Priya', 'Ananya', 'Kavya'] },
  { country: 'Sri Lanka', tz: 'Asia/Colombo', surnames: ['Perera', 'Fernando', 'Silva', 'Jayasuriya'], male: ['Nuwan', 'Kasun'], female: ['Kavindi', 'Dilini', 'Tharushi'] },
  { country: 'Turkmenistan', tz: 'Asia/Ashgabat', surnames: ['Annayev', 'Orazov', 'Berdiyev'], male: ['Serdar', 'Merdan', 'Batyr'], female: ['Aylar', 'Ogulnabat'] },
  { country: 'Iran', tz: 'Asia/Tehran', surnames: ['Rahimi', 'Hosseini', 'Karimi'], male: ['Amir', 'Reza'], female: ['Parisa', 'Sara'] },
  { country: 'Lebanon', tz: 'Asia/Beirut', surnames: ['Haddad', 'Khoury', 'Nassar'], male: ['Karim', 'Elie'], female: ['Maya', 'Rana'] },
  { country: 'Nigeria', tz: 'Africa/Lagos', surnames: ['Okafor', 'Adeyemi', 'Eze'], male: ['Chinedu', 'Tunde'], female: ['Ngozi', 'Amaka'] },
  { country: 'China', tz: 'Asia/Shanghai', surnames: ['Wang', 'Li', 'Zhang'], male: ['Wei', 'Hao'], female: ['Mei', 'Xiu'] },
  { country: 'Syria', tz: 'Asia/Damascus', surnames: ['Al-Hassan', 'Darwish'], male: ['Omar', 'Yousef'], female: ['Lina', 'Nour'] },
  { country: 'Turkey', tz: 'Europe/Istanbul', surnames: ['Yilmaz', 'Demir', 'Kaya'], male: ['Emre', 'Mehmet'], female: ['Elif', 'Zeynep'] },
  { country: 'Pakistan', tz: 'Asia/Karachi', surnames: ['Khan', 'Qureshi', 'Malik'], male: ['Ali', 'Hamza'], female: ['Ayesha', 'Fatima'] },
  { country: 'Iraq', tz: 'Asia/Baghdad', surnames: ['Al-Jaburi', 'Kadhim'], male: ['Mustafa', 'Hussein'], female: ['Zahraa', 'Noor'] },
];
