// The demo university: two faculties (Russian- and English-medium), nine groups, ~150 students,
// fourteen teachers, a term with eight weeks of lessons held, marks, absences and make-ups.
// Deterministic: the same `today` always gives the same database.
import { DEMO_PARTNERS } from './mobility-partners';
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable, Tx } from '../store';
import { GENESIS_HASH, hashAuditRow } from '../queries/audit';
import { rng, type Rng } from './random';
import { SURNAMES, MALE, FEMALE, FATHERS, FOREIGN, patronymic, latin, passportLatin } from './names';
import { COURSES, DEPARTMENTS, REASONS, SUBJECTS, TEACHERS, TOPICS } from './catalogue';
import { seedSession } from './session';

export type SeedSummary = {
  faculties: number; groups: number; students: number; teachers: number; guardians: number; courses: number;
  lessons: number; attendance: number; marks: number; makeups: number; auditRows: number; transferredStudent: string;
};

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
export const addDays = (iso: string, n: number) => new Date(day(iso) + n * 86_400_000).toISOString().slice(0, 10);
const weekday = (iso: string) => (new Date(day(iso)).getUTCDay() + 6) % 7; // Monday = 0
const minsk = (iso: string, hhmm: string) => Date.parse(`${iso}T${hhmm}:00+03:00`); // Minsk is UTC+3 all year
const SLOTS = ['08:00', '09:45', '11:35', '13:40', '15:25'];

function termFor(today: string) {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  if (m >= 9 || m === 1) {
    const start = m === 1 ? y - 1 : y;
    return {
      current: { nameRu: `Осенний семестр ${start}/${start + 1}`, nameEn: `Autumn term ${start}/${start + 1}`, startsOn: `${start}-09-01`, endsOn: `${start + 1}-01-31` },
      previous: { nameRu: `Весенний семестр ${start - 1}/${start}`, nameEn: `Spring term ${start - 1}/${start}`, startsOn: `${start}-02-01`, endsOn: `${start}-06-30` },
    };
  }
  return {
    current: { nameRu: `Весенний семестр ${y - 1}/${y}`, nameEn: `Spring term ${y - 1}/${y}`, startsOn: `${y}-02-01`, endsOn: `${y}-06-30` },
    previous: { nameRu: `Осенний семестр ${y - 1}/${y}`, nameEn: `Autumn term ${y - 1}/${y}`, startsOn: `${y - 1}-09-01`, endsOn: `${y}-01-31` },
  };
}

/** Seeds the whole demo in one transaction: an interrupted seed leaves an empty database, seeded again at the next start. */
export async function seedDemo(s: Queryable, opts: { today: string; passwordHash: string }): Promise<SeedSummary> {
  const r = rng([...opts.today].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261));
  return s.tx(async (tx) => {
    // Several processes may seed an empty PostgreSQL database at once. The seed numbers its audit rows
    // from the table's sequence, which a rolled-back seed would leave with holes: the seeds take the
    // chain's head first, so they run one after another and the later ones fail on the first row
    // (the register exists) before drawing any audit id.
    if (tx.dialect === 'postgres') await tx.get(sql`SELECT last_id FROM audit_head WHERE id = 1 FOR UPDATE`);
    return new Seeder(tx, r, opts.today, opts.passwordHash).run();
  });
}

type Student = { id: number; email: string; groupId: number; ability: number; absentP: number; lang: 'ru' | 'en'; tz: string; surname: string;
  /** The surname as the student's passport writes it: a foreign family's account is in that script. */
  surnameLatin: string; female: boolean; country: string | null };

/** The seed's statements are written with `?` placeholders; each becomes a drizzle query with bound values. */
function positional(text: string, args: unknown[]): SQL {
  const parts = text.split('?');
  if (parts.length !== args.length + 1) throw new Error(`seed: ${args.length} values for ${parts.length - 1} placeholders`);
  const chunks: SQL[] = [];
  parts.forEach((part, i) => {
    chunks.push(sql.raw(part));
    if (i < args.length) chunks.push(sql`${args[i]}`);
  });
  return sql.join(chunks, sql.raw(''));
}

class Seeder {
  private head = GENESIS_HASH;
  private counts = { attendance: 0, marks: 0, makeups: 0, lessons: 0, audit: 0, statements: 0 };
  private userId = new Map<string, number>();
  private startAt: number;

  constructor(private tx: Tx, private r: Rng, private today: string, private hash: string) {
    this.startAt = minsk(addDays(today, -70), '08:00');
  }

  private async exec(text: string, ...args: unknown[]): Promise<void> {
    await this.tx.run(positional(text, args));
  }

  /** Inserts one row and returns its id. */
  private async ins(text: string, ...args: unknown[]): Promise<number> {
    return (await this.tx.get<{ id: number }>(positional(`${text} RETURNING id`, args)))!.id;
  }

  /** The seed's own audit rows: the same chain the app appends to, built without a head lookup per row. */
  private async audit(at: number, actorId: number | null, actorRole: string | null, action: string, entity: string, entityId: number | null, studentId: number | null, courseId: number | null, lessonId: number | null, after: unknown) {
    const row = { at, actorId, actorRole, ip: null, action, entity, entityId, studentId, courseId, lessonId, before: null, after: after === null ? null : JSON.stringify(after), reason: null, prevHash: this.head };
    const hash = hashAuditRow(row);
    await this.exec(`INSERT INTO audit_log (at, actor_id, actor_role, ip, action, entity, entity_id, student_id, course_id, lesson_id,
        before, after, reason, prev_hash, hash) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?)`,
      at, actorId, actorRole, action, entity, entityId, studentId, courseId, lessonId, row.after, this.head, hash);
    this.head = hash;
    this.counts.audit++;
  }

  private async user(u: { email: string; surname: string; givenName: string; patronymic?: string | null; nameLatin?: string | null; lang: 'ru' | 'en'; tz?: string; recordBook?: string | null; country?: string | null }, roles: { role: string; facultyId?: number | null; departmentId?: number | null }[]): Promise<number> {
    const id = await this.ins(`INSERT INTO users (email, password_hash, surname, given_name, patronymic, name_latin, record_book, country, lang, time_zone, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      u.email, this.hash, u.surname, u.givenName, u.patronymic ?? null, u.nameLatin ?? null, u.recordBook ?? null, u.country ?? null, u.lang, u.tz ?? 'Europe/Minsk', this.startAt);
    for (const role of roles) {
      await this.exec('INSERT INTO user_roles (user_id, role, faculty_id, department_id, updated_at) VALUES (?, ?, ?, ?, ?)',
        id, role.role, role.facultyId ?? null, role.departmentId ?? null, this.startAt);
    }
    this.userId.set(u.email, id);
    await await this.audit(this.startAt, null, 'operator', 'user.create', 'user', id, null, null, null, { email: u.email, roles: roles.map((x) => x.role) });
    return id;
  }

  async run(): Promise<SeedSummary> {
    const { r, today } = this;
    const ins = (text: string, ...args: unknown[]) => this.ins(text, ...args);
    await await this.audit(this.startAt, null, 'operator', 'seed.demo', 'university', null, null, null, null, { today });

    const lf = await ins('INSERT INTO faculties (code, name_ru, name_en) VALUES (?, ?, ?)', 'LF', 'Лечебный факультет', 'Faculty of General Medicine');
    const fis = await ins('INSERT INTO faculties (code, name_ru, name_en) VALUES (?, ?, ?)', 'FIS', 'Факультет иностранных учащихся', 'Faculty of International Students');
    const dept = new Map<string, number>();
    for (const d of DEPARTMENTS) dept.set(d.code, await ins('INSERT INTO departments (faculty_id, name_ru, name_en) VALUES (?, ?, ?)', lf, d.ru, d.en));
    const subject = new Map<string, number>();
    for (const s of SUBJECTS) subject.set(s.code, await ins('INSERT INTO subjects (department_id, code, name_ru, name_en) VALUES (?, ?, ?, ?)', dept.get(s.dept), s.code, s.ru, s.en));
    const scale = new Map<string, number>();
    for (const [code, kind, min, max, pass] of [['ten', 'points', 1, 10, 4], ['pass_fail', 'pass_fail', 0, 1, 1], ['five', 'points', 1, 5, 3], ['percent', 'points', 0, 100, 50]] as const) {
      scale.set(code, await ins('INSERT INTO scales (code, kind, min, max, pass_min) VALUES (?, ?, ?, ?, ?)', code, kind, min, max, pass));
    }
    const reason = new Map<string, { id: number; requiresMakeup: boolean }>();
    for (const x of REASONS) reason.set(x.code, { id: await ins('INSERT INTO absence_reasons (code, name_ru, name_en, requires_makeup) VALUES (?, ?, ?, ?)', x.code, x.ru, x.en, x.makeup), requiresMakeup: x.makeup });

    // People who run the university.
    const admin = await this.user({ email: 'admin@demo.test', surname: 'Гончаренко', givenName: 'Ольга', patronymic: 'Петровна', lang: 'ru' }, [{ role: 'admin' }]);
    const dean = await this.user({ email: 'dean@demo.test', surname: 'Титов', givenName: 'Игорь', patronymic: 'Александрович', lang: 'ru' }, [{ role: 'admin', facultyId: lf }]);
    await this.user({ email: 'dean-fis@demo.test', surname: 'Рябцева', givenName: 'Наталья', patronymic: 'Викторовна', lang: 'en' }, [{ role: 'admin', facultyId: fis }]);
    for (const t of TEACHERS) await this.user({ email: t.email, surname: t.surname, givenName: t.given, patronymic: t.patronymic, nameLatin: t.latin ?? null, lang: 'ru' }, [{ role: 'teacher', departmentId: dept.get(t.dept) }]);

    const terms = termFor(today);
    const previousTermId = await ins('INSERT INTO terms (name_ru, name_en, starts_on, ends_on, locked_at, locked_by, lock_reason) VALUES (?, ?, ?, ?, ?, ?, ?)', terms.previous.nameRu, terms.previous.nameEn, terms.previous.startsOn, terms.previous.endsOn, day(terms.previous.endsOn) + 86_400_000 * 10, admin, 'Экзаменационная сессия завершена, ведомости сданы');
    const termId = await ins('INSERT INTO terms (name_ru, name_en, starts_on, ends_on) VALUES (?, ?, ?, ?)', terms.current.nameRu, terms.current.nameEn, terms.current.startsOn, terms.current.endsOn);
    const termStart = terms.current.startsOn;

    // Groups and students.
    const groupDefs = [
      { name: '1101', faculty: lf, year: 1, lang: 'ru' as const }, { name: '1102', faculty: lf, year: 1, lang: 'ru' as const }, { name: '1103', faculty: lf, year: 1, lang: 'ru' as const },
      { name: '1201', faculty: lf, year: 2, lang: 'ru' as const }, { name: '1202', faculty: lf, year: 2, lang: 'ru' as const }, { name: '1301', faculty: lf, year: 3, lang: 'ru' as const },
      { name: 'E101', faculty: fis, year: 1, lang: 'en' as const }, { name: 'E102', faculty: fis, year: 1, lang: 'en' as const }, { name: 'E201', faculty: fis, year: 2, lang: 'en' as const },
    ];
    const groupId = new Map<string, number>();
    for (const g of groupDefs) groupId.set(g.name, await ins('INSERT INTO groups (faculty_id, name, programme, year, language) VALUES (?, ?, ?, ?, ?)', g.faculty, g.name, 'degree', g.year, g.lang));
    const students: Student[] = [];
    const memberships = new Map<number, { groupId: number; from: string; to: string | null }[]>();
    let n = 0;
    const addStudent = async (g: (typeof groupDefs)[number], seq: number, fixed?: { surname: string; given: string; patronymic: string; email: string; female: boolean }) => {
      n++;
      let surname: string, given: string, patr: string | null, female: boolean, country: string | null = null, tz = 'Europe/Minsk', email: string;
      let nameLatin: string | null = null;
      let surnameLatin: string;
      if (fixed) {
        ({ surname, given, patronymic: patr, female, email } = fixed);
        nameLatin = passportLatin(surname, given);
        surnameLatin = latin(surname);
      }
      else if (g.lang === 'ru') {
        female = r.chance(0.62); // medical faculties are mostly women
        surname = r.pick(SURNAMES)[female ? 1 : 0];
        given = r.pick(female ? FEMALE : MALE);
        patr = patronymic(r.pick(FATHERS), female);
        email = `${latin(given)}.${latin(surname)}.${n}@students.demo.test`;
        // The registry has the passport's Latin line for some (those who travel: mobility, conferences).
        if (n % 3 === 0) nameLatin = passportLatin(surname, given);
        surnameLatin = latin(surname);
      } else {
        const f = r.pick(FOREIGN);
        female = r.chance(0.5);
        const [surLat, surCyr] = r.pick(f.surnames);
        const [givenLat, givenCyr] = r.pick(female ? f.female : f.male);
        surname = surCyr;
        given = givenCyr;
        // As the passport's machine-readable page has it: the surname in capitals, then the given name.
        nameLatin = `${surLat.toUpperCase()} ${givenLat}`;
        surnameLatin = surLat;
        patr = null;
        country = f.country;
        tz = f.tz;
        email = `${givenLat.toLowerCase()}.${surLat.toLowerCase().replace(/[^a-z]/g, '')}.${n}@students.demo.test`;
      }
      const recordBook = `${String(Number(termStart.slice(2, 4)) - g.year + 1).padStart(2, '0')}${g.faculty === lf ? 1 : 5}${g.name.replace(/\D/g, '').slice(-2)}${String(seq).padStart(2, '0')}`;
      const id = await this.user({ email, surname, givenName: given, patronymic: patr, nameLatin, lang: g.lang, tz, recordBook, country }, [{ role: 'student' }]);
      const s: Student = { id, email, groupId: groupId.get(g.name)!, ability: Math.min(9.6, Math.max(2.6, r.normal(6.7, 1.6))), absentP: 0.02 + 0.18 * r.next() ** 2, lang: g.lang, tz, surname, surnameLatin, female, country };
      students.push(s);
      memberships.set(id, [{ groupId: s.groupId, from: termStart, to: null }]);
      return s;
    };
    for (const g of groupDefs) {
      const size = g.lang === 'ru' ? 17 : 16;
      for (let i = 1; i <= size; i++) {
        if (g.name === '1101' && i === 1) {
          const s = await addStudent(g, i, { surname: 'Климович', given: 'Анастасия', patronymic: 'Сергеевна', email: 'student@demo.test', female: true });
          s.ability = 7.4;
          s.absentP = 0.08;
        } else if (g.name === '1202' && i === 1) await addStudent(g, i, { surname: 'Лукашевич', given: 'Максим', patronymic: 'Дмитриевич', email: 'maksim.lukashevich@students.demo.test', female: false });
        else await addStudent(g, i);
      }
    }
    // A transfer in the middle of the term: from 1102 to 1101, so both journals keep their part.
    const transferred = students.find((s) => s.groupId === groupId.get('1102') && s.email !== 'student@demo.test')!;
    const transferDate = addDays(today, -28);
    memberships.set(transferred.id, [{ groupId: groupId.get('1102')!, from: termStart, to: addDays(transferDate, -1) }, { groupId: groupId.get('1101')!, from: transferDate, to: null }]);
    for (const [sid, ms] of memberships) {
      for (const m of ms) await this.exec('INSERT INTO group_memberships (student_id, group_id, from_date, to_date) VALUES (?, ?, ?, ?)', sid, m.groupId, m.from, m.to);
    }

    // Academic mobility: two weeks of clinical practice at a partner university, excused once for the period.
    const mobile = students.find((s) => s.groupId === groupId.get('1201'))!;
    const mobility = { from: addDays(today, -35), to: addDays(today, -22) };
    await this.exec('INSERT INTO excused_periods (student_id, reason_id, from_date, to_date, document_ref, note, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
      mobile.id, reason.get('mobility')!.id, mobility.from, mobility.to, 'приказ №412-с', 'Клиническая практика в Москве (академическая мобильность)', dean);
    for (const [i, p] of DEMO_PARTNERS.entries()) {
      await this.exec(`INSERT INTO mobility_partners (name_original, name_ru, name_en, country, agreement_number, agreement_from, agreement_to, updated_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.original, p.ru, p.en, p.country, p.no, `20${18 + (i % 6)}-09-01`, i % 4 === 3 ? null : `20${28 + (i % 3)}-08-31`, dean);
    }

    // Guardians, with the student's consent.
    let guardians = 0;
    const link = async (guardianId: number, studentId: number, scope: string, consent: string, note: string | null, revoked = false) => {
      const at = this.startAt + 86_400_000;
      const id = await ins('INSERT INTO guardian_links (guardian_id, student_id, scope, consent, consent_note, consented_at, revoked_at, revoked_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        guardianId, studentId, scope, consent, note, at, revoked ? at + 86_400_000 * 20 : null, revoked ? studentId : null);
      await this.audit(at, consent === 'dean_recorded' ? dean : studentId, consent === 'dean_recorded' ? 'admin' : 'student', 'guardian_link.create', 'guardian_link', id, studentId, null, null, { guardianId, scope, consent });
      guardians++;
    };
    const parent = await this.user({ email: 'parent@demo.test', surname: 'Климович', givenName: 'Сергей', patronymic: 'Иванович', lang: 'ru' }, [{ role: 'guardian' }]);
    await link(parent, this.userId.get('student@demo.test')!, 'full', 'pairing_code', null);
    const tp = this.userId.get('teacher-parent@demo.test')!;
    await this.exec("INSERT INTO user_roles (user_id, role) VALUES (?, 'guardian')", tp);
    await link(tp, this.userId.get('maksim.lukashevich@students.demo.test')!, 'attendance', 'dean_recorded', 'Заявление студента от 02.09, согласие на просмотр посещаемости');
    let revokedOne = false;
    for (const s of students) {
      if (s.email === 'student@demo.test' || s.email.startsWith('maksim.lukashevich') || !r.chance(0.3)) continue;
      const mother = r.chance(0.6);
      const given = s.lang === 'ru' ? r.pick(mother ? FEMALE : FATHERS) : mother ? 'Mrs' : 'Mr';
      // A foreign family's account is in the passport's script: they registered it themselves.
      const surname = s.lang === 'ru' ? SURNAMES.find((p) => p.includes(s.surname))?.[mother ? 1 : 0] ?? s.surname : s.surnameLatin;
      const gid = await this.user({
        email: `parent.${s.lang === 'ru' ? latin(surname) : surname.toLowerCase().replace(/[^a-z]/g, '')}.${s.id}@family.demo.test`,
        surname, givenName: s.lang === 'ru' ? given : `${given === 'Mrs' ? r.pick(['Anita', 'Samira', 'Grace', 'Leyla']) : r.pick(['Rajesh', 'Karim', 'David', 'Murat'])}`,
        patronymic: s.lang === 'ru' ? patronymic(r.pick(FATHERS), mother) : null, lang: s.lang, tz: s.tz, country: s.country,
      }, [{ role: 'guardian' }]);
      const revoke: boolean = !revokedOne && s.lang === "en";
      revokedOne ||= revoke;
      await link(gid, s.id, r.chance(0.15) ? 'attendance' : 'full', 'pairing_code', null, revoke);
    }

    // Courses, lessons and what happened in them.
    let courses = 0;
    const sessionCourses: { courseId: number; subject: string; groups: number[]; examiner: number }[] = [];
    const calendarCourses: { courseId: number; groups: number[]; passFail: boolean }[] = [];
    const lessonsFrom = [addDays(today, -7 * 8 - weekday(today)), termStart].sort()[1];
    const lessonsTo = [addDays(today, 14), terms.current.endsOn].sort()[0];
    for (const [ci, c] of COURSES.entries()) {
      const courseId = await ins('INSERT INTO courses (subject_id, term_id, scale_id, rules) VALUES (?, ?, ?, ?)', subject.get(c.subject), termId, scale.get(c.scale), JSON.stringify(c.rules ?? {}));
      courses++;
      const gids = c.groups.map((g) => groupId.get(g)!);
      for (const g of gids) await this.exec('INSERT INTO course_groups (course_id, group_id) VALUES (?, ?)', courseId, g);
      for (const t of c.teachers) {
        await this.exec('INSERT INTO course_teachers (course_id, teacher_id, role) VALUES (?, ?, ?)', courseId, this.userId.get(t.email), t.role);
      }
      const lecturer = this.userId.get(c.teachers[0].email)!;
      calendarCourses.push({ courseId, groups: gids, passFail: c.scale === 'pass_fail' });
      // This term's first exams: Anatomy and Histology of 1102 have their statements open already.
      if ((c.subject === 'ANAT' || c.subject === 'HIST') && c.groups.includes('1102')) sessionCourses.push({ courseId, subject: c.subject, groups: [groupId.get('1102')!], examiner: lecturer });
      const assistant = this.userId.get(c.teachers[c.teachers.length - 1].email)!;
      const topics = TOPICS[c.subject][c.lang];
      const plan: { date: string; slot: string; kind: string; groupId: number | null; topic: string; cancelled: boolean; teacher: number }[] = [];
      let week = 0;
      for (let monday = lessonsFrom; monday <= lessonsTo; monday = addDays(monday, 7), week++) {
        const topic = topics[week % topics.length];
        if (c.scale !== 'pass_fail') {
          const date = addDays(monday, ci % 5);
          if (date >= lessonsFrom && date <= lessonsTo) plan.push({ date, slot: SLOTS[ci % 3], kind: 'lecture', groupId: null, topic, cancelled: ci === 1 && week === 2, teacher: lecturer });
        }
        gids.forEach((g, gi) => {
          const date = addDays(monday, (ci + gi + 1) % 6);
          if (date < lessonsFrom || date > lessonsTo) return;
          const kind = week === 3 || week === 7 ? 'colloquium' : c.lab ? 'laboratory' : 'practical';
          plan.push({ date, slot: SLOTS[(ci + gi + 2) % SLOTS.length], kind, groupId: g, topic, cancelled: false, teacher: gi === 0 ? lecturer : assistant });
        });
      }
      plan.sort((a, b) => (a.date + a.slot < b.date + b.slot ? -1 : 1));
      for (const l of plan) {
        const startsAt = minsk(l.date, l.slot);
        const lessonId = await ins('INSERT INTO lessons (course_id, group_id, kind, topic, date, starts_at, cancelled, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          courseId, l.groupId, l.kind, l.topic, l.date, startsAt, l.cancelled, lecturer, this.startAt);
        this.counts.lessons++;
        await this.audit(this.startAt, lecturer, 'teacher', 'lesson.create', 'lesson', lessonId, null, courseId, lessonId, { date: l.date, kind: l.kind, groupId: l.groupId, topic: l.topic });
        if (l.cancelled || l.date >= today) continue; // today's lessons are for the demo teacher to take
        const at = startsAt + 60 * 60 * 1000;
        for (const s of students) {
          const ms = memberships.get(s.id)!;
          const member = ms.some((m) => m.from <= l.date && (m.to === null || m.to >= l.date) && (l.groupId === null ? gids.includes(m.groupId) : m.groupId === l.groupId));
          if (!member) continue;
          await this.recordLesson(s, l, lessonId, courseId, at, c.scale === 'pass_fail', reason, mobile.id === s.id && l.date >= mobility.from && l.date <= mobility.to, dean);
        }
      }
    }

    const session = await seedSession({ ins, exec: (text, ...args) => this.exec(text, ...args), audit: (...a) => this.audit(...a) }, {
      r, today, previousTermId, previous: terms.previous, currentTermId: termId, current: terms.current, dean: admin, subject, scale, groupId, userId: this.userId,
      students: students.map((s) => ({ id: s.id, groupId: memberships.get(s.id)!.at(-1)!.groupId, ability: s.ability })), currentCourses: sessionCourses, calendarCourses,
    });
    this.counts.statements = session.statements;

    // The head of the chain follows the seed's own rows, as appendAudit keeps it for later ones.
    await this.exec('UPDATE audit_head SET last_id = (SELECT max(id) FROM audit_log), last_hash = ? WHERE id = 1', this.head);
    const auditRows = (await this.tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`))!.n;
    return {
      faculties: 2, groups: groupDefs.length, students: students.length, teachers: TEACHERS.length, guardians, courses,
      lessons: this.counts.lessons, attendance: this.counts.attendance, marks: this.counts.marks, makeups: this.counts.makeups,
      auditRows, transferredStudent: transferred.email,
    };
  }

  private async recordLesson(s: Student, l: { date: string; kind: string; teacher: number }, lessonId: number, courseId: number, at: number, passFail: boolean,
    reason: Map<string, { id: number; requiresMakeup: boolean }>, onMobility: boolean, dean: number) {
    const { r } = this;
    const demo = s.email === 'student@demo.test';
    let status: 'present' | 'late' | 'absent' = 'present';
    let reasonStatus: 'unknown' | 'excused' | 'unexcused' = 'unknown';
    let reasonCode: string | null = null;
    const x = r.next();
    if (onMobility) { status = 'absent'; reasonStatus = 'excused'; reasonCode = 'mobility'; }
    else if (x < s.absentP) {
      status = 'absent';
      const y = r.next();
      if (y < 0.4) { reasonStatus = 'excused'; reasonCode = r.pick(['illness', 'illness', 'illness', 'illness', 'family', 'donation', 'event', 'summons']); }
      else if (y < 0.75) reasonStatus = 'unexcused';
    } else if (x < s.absentP + 0.03) status = 'late';
    if (demo) {
      // The demo student has one of each kind of absence, so her page shows every state.
      const wk = Math.floor((day(this.today) - day(l.date)) / (7 * 86_400_000));
      status = 'present'; reasonStatus = 'unknown'; reasonCode = null;
      if (wk === 5 && l.kind === 'practical') status = 'absent', reasonStatus = 'unexcused';
      if (wk === 4 && l.kind === 'lecture') status = 'absent', reasonStatus = 'excused', reasonCode = 'donation';
      if (wk === 2 && l.kind === 'practical') status = 'absent', reasonStatus = 'excused', reasonCode = 'illness';
    }
    const rs = reasonCode ? reason.get(reasonCode)! : null;
    const attId = await this.ins(`INSERT INTO attendance (lesson_id, student_id, status, reason_status, reason_id, document_ref, approved_by, approved_at,
        updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, lessonId, s.id, status, reasonStatus, rs?.id ?? null, rs ? `справка №${1000 + r.int(0, 8999)}` : null,
      reasonStatus === 'excused' ? dean : null, reasonStatus === 'excused' ? at + 86_400_000 : null, l.teacher, at);
    this.counts.attendance++;
    await this.audit(at, l.teacher, 'teacher', 'attendance.create', 'attendance', attId, s.id, courseId, lessonId, { status, reasonStatus, reasonId: rs?.id ?? null });

    let value: number | null = null;
    if (status !== 'absent') {
      if (passFail) { if (l.kind === 'colloquium') value = s.ability + r.normal(0, 1.2) >= 4 ? 1 : 0; }
      else if (l.kind === 'colloquium' || ((l.kind === 'practical' || l.kind === 'laboratory') && (demo || r.chance(0.55)))) {
        value = Math.max(1, Math.min(10, Math.round(r.normal(s.ability, 1.3))));
      }
    }
    if (value !== null) {
      const id = await this.ins('INSERT INTO marks (lesson_id, student_id, value, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)', lessonId, s.id, value, l.teacher, at);
      this.counts.marks++;
      await this.audit(at, l.teacher, 'teacher', 'mark.create', 'mark', id, s.id, courseId, lessonId, { value });
    }

    const needsMakeup = status === 'absent' && (l.kind === 'practical' || l.kind === 'laboratory') && (reasonStatus !== 'excused' || (rs?.requiresMakeup ?? true));
    if (!needsMakeup) return;
    const y = demo ? (reasonStatus === 'unexcused' ? 0.8 : 0.1) : r.next();
    let row: { status: string; doneOn: string | null; mark: number | null; waive: string | null } | null = null;
    const doneOn = [addDays(l.date, r.int(3, 12)), addDays(this.today, -1)].sort()[0];
    if (y < 0.5) row = { status: 'done', doneOn, mark: r.chance(0.6) ? Math.max(1, Math.min(10, Math.round(r.normal(s.ability, 1.2)))) : null, waive: null };
    else if (y < 0.6) row = { status: 'waived', doneOn: null, mark: null, waive: 'Тема отработана на консультации, решение заведующего кафедрой' };
    else if (y < 0.85) row = { status: 'pending', doneOn: null, mark: null, waive: null };
    if (!row) return;
    const when = row.doneOn ? minsk(row.doneOn, '16:00') : at + 86_400_000;
    const id = await this.ins('INSERT INTO makeups (lesson_id, student_id, status, done_on, teacher_id, mark, waive_reason, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      lessonId, s.id, row.status, row.doneOn, row.status === 'done' ? l.teacher : null, row.mark, row.waive, l.teacher, when);
    this.counts.makeups++;
    await this.audit(when, l.teacher, 'teacher', 'makeup.create', 'makeup', id, s.id, courseId, lessonId, { status: row.status, doneOn: row.doneOn, mark: row.mark });
  }
}
