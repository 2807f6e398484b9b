// The partner universities of issue 17 (BSMU's bilateral agreements for clinical practice). The
// agreement numbers and dates are the demo's own, not the real agreements'.
export const DEMO_PARTNERS = [
  { original: 'Первый Московский государственный медицинский университет имени И. М. Сеченова', ru: 'Первый МГМУ им. И. М. Сеченова', en: 'I. M. Sechenov First Moscow State Medical University', country: 'RU', no: 'МС-2021/14' },
  { original: 'Московский государственный медико-стоматологический университет имени А. И. Евдокимова', ru: 'МГМСУ им. А. И. Евдокимова', en: 'A. I. Yevdokimov Moscow State University of Medicine and Dentistry', country: 'RU', no: 'МС-2022/03' },
  { original: 'Северо-Западный государственный медицинский университет имени И. И. Мечникова', ru: 'СЗГМУ им. И. И. Мечникова', en: 'North-Western State Medical University named after I. I. Mechnikov', country: 'RU', no: 'МС-2020/21' },
  { original: 'Кировский государственный медицинский университет', ru: 'Кировский ГМУ', en: 'Kirov State Medical University', country: 'RU', no: 'МС-2023/07' },
  { original: 'Самарский государственный медицинский университет', ru: 'Самарский ГМУ', en: 'Samara State Medical University', country: 'RU', no: 'МС-2019/11' },
  { original: 'Омский государственный медицинский университет', ru: 'Омский ГМУ', en: 'Omsk State Medical University', country: 'RU', no: 'МС-2022/18' },
  { original: '長崎大学', ru: 'Университет Нагасаки', en: 'Nagasaki University', country: 'JP', no: 'МС-2018/02' },
  { original: '福島県立医科大学', ru: 'Медицинский университет Фукусимы', en: 'Fukushima Medical University', country: 'JP', no: 'МС-2019/05' },
  { original: '河南科技大学', ru: 'Хэнаньский университет науки и технологий', en: 'Henan University of Science and Technology', country: 'CN', no: 'МС-2021/09' },
  { original: 'С. Ж. Асфендияров атындағы Қазақ ұлттық медицина университеті', ru: 'Казахский национальный медицинский университет им. С. Д. Асфендиярова', en: 'Asfendiyarov Kazakh National Medical University', country: 'KZ', no: 'МС-2020/04' },
  { original: 'Toshkent tibbiyot akademiyasi', ru: 'Ташкентский медицинский университет', en: 'Tashkent Medical University', country: 'UZ', no: 'МС-2023/12' },
  { original: 'Türkmenistanyň Döwlet lukmançylyk uniwersiteti (M. Garryýew adyndaky)', ru: 'Государственный медицинский университет Туркменистана им. М. Гаррыева', en: 'Turkmen State Medical University named after M. Garryev', country: 'TM', no: 'МС-2021/20' },
] as const;
