// The outbox's sender (issue 15). Messages were queued in the transactions that caused them; here, after
// commit, each is claimed (so no two processes send it), checked again (a link revoked or an account
// disabled since stops it), sent with its idempotency key as Message-ID, and marked.
//
// The window: a process killed after the SMTP server said 250 and before "sent" was written leaves a
// claimed row; once the claim expires (MAIL_CLAIM_SECONDS) it is sent again with the same Message-ID,
// which mail systems use to drop a duplicate. Messages go one at a time, so at most one can be in that
// window; a process killed before the 250 (the usual case, the data still on the wire) loses nothing.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Store } from '../../db/store';
import {
  claimNext, digestCandidates, markAddressFailing, markGivenUp, markRetry, markSent, personForMail, queueDigest, recipientOf,
  studentNames, visibleNotices, mailModes, type OutboxRow, type Cadence, type MailNotice,
} from '../../db/queries/mail';
import { noticeFilter } from '../policy';
import { lastDailySlot, lastWeeklySlot, retryDelay, MAX_ATTEMPTS } from '../domain/digest';
import { confirmMail, digestMail, noticeMail, subjectOf, itemLine, testMail, type ChildGroup, type MailMessage } from '../../views/mail/message';
import { CONFIRM_LINK_MS, confirmUrl, unsubscribeUrl } from './tokens';
import { displayName } from '../../views/names';
import type { Lang } from '../../db/schema';
import type { NotifyKind } from '../../db/queries/notify-settings';
import { SerialDrain } from '../realtime/serial-drain';

export type MailSettings = { smtpUrl: string; from: string; claimMs: number };

export type SenderOptions = {
  store: Store;
  mail: MailSettings;
  publicUrl: string;
  secret: string;
  clock: () => number;
  onError: (err: unknown) => void;
  intervalMs?: number;
};

type Outcome = { send: MailMessage & { unsubscribe?: string } } | { drop: string };

/** A temporary failure (try later) or a permanent one (the address is refused), as SMTP and the network say. */
export function classify(err: unknown): 'temporary' | 'permanent' {
  const code = (err as { responseCode?: number }).responseCode;
  if (typeof code === 'number' && code >= 500 && code < 600) return 'permanent';
  return 'temporary'; // 4xx, connection refused or reset, timeouts, DNS: the server may take it later
}

export class MailSender {
  private readonly transport: Transporter;
  private readonly drains = new SerialDrain(async () => {
    await this.queueDigests();
    while (!this.stopped && (await this.sendOne()));
  }, () => this.stopped, (err) => this.opts.onError(err));
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  readonly domain: string;

  constructor(private readonly opts: SenderOptions) {
    this.transport = nodemailer.createTransport(opts.mail.smtpUrl, {
      connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000,
    } as object);
    this.domain = /@([^>\s]+)>?\s*$/.exec(opts.mail.from)?.[1] ?? 'localhost';
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => void this.drain(), this.opts.intervalMs ?? 5_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.drains.settled();
    this.transport.close();
  }

  /** Closes the digest windows that are due, then sends every due message. One drain at a time. */
  drain(): Promise<void> {
    return this.drains.run();
  }

  private async queueDigests(): Promise<void> {
    const now = this.opts.clock();
    for (const c of await digestCandidates(this.opts.store)) {
      const slots: [Cadence, number, number | null][] = [
        ['daily', lastDailySlot(now, c.timeZone, c.digestHour), c.dailySlot],
        ['weekly', lastWeeklySlot(now, c.timeZone, c.digestHour), c.weeklySlot],
      ];
      for (const [cadence, slot, last] of slots) {
        if (last === null || last < slot) await queueDigest(this.opts.store, c.userId, cadence, slot, noticeFilter(c.userId), now);
      }
    }
  }

  /** Sends the next due message; false when there is none. */
  private async sendOne(): Promise<boolean> {
    const { store, clock, mail } = this.opts;
    const row = await claimNext(store, clock(), mail.claimMs);
    if (!row) return false;
    let outcome: Outcome;
    try {
      outcome = await this.compose(row);
    } catch (err) {
      await markRetry(store, row.id, clock() + retryDelay(row.attempts), String(err));
      throw err;
    }
    if ('drop' in outcome) {
      await markGivenUp(store, row.id, 'dropped', outcome.drop);
      return true;
    }
    const m = outcome.send;
    try {
      await this.transport.sendMail({
        from: mail.from, to: row.address, subject: m.subject, text: m.text, html: m.html,
        messageId: `<${row.key.replace(/[^A-Za-z0-9.:-]/g, '-')}@${this.domain}>`,
        headers: m.unsubscribe ? { 'List-Unsubscribe': `<${m.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {},
      });
    } catch (err) {
      await this.failed(row, err);
      return true;
    }
    await markSent(store, row.id, clock());
    return true;
  }

  private async failed(row: OutboxRow, err: unknown): Promise<void> {
    const { store, clock } = this.opts;
    const reason = String((err as { response?: string }).response ?? (err as Error).message ?? err);
    if (classify(err) === 'permanent') {
      await markGivenUp(store, row.id, 'failed', reason);
      if (row.userId !== null) await markAddressFailing(store, row.userId, row.address, reason, clock());
    } else if (row.attempts >= MAX_ATTEMPTS) {
      await markGivenUp(store, row.id, 'failed', `gave up after ${row.attempts} tries: ${reason}`);
    } else {
      await markRetry(store, row.id, clock() + retryDelay(row.attempts), reason);
    }
  }

  /** What the row becomes now, with what the reader may see now: a message, or why it no longer goes. */
  private async compose(row: OutboxRow): Promise<Outcome> {
    const { store, publicUrl, secret } = this.opts;
    const ref = JSON.parse(row.ref) as { n?: number; kind?: NotifyKind; ids?: number[]; cadence?: Cadence; lang?: Lang };
    if (row.kind === 'test') return { send: testMail(ref.lang ?? 'en', publicUrl) };
    if (row.userId === null) return { drop: 'no recipient' };
    const person = await personForMail(store, row.userId);
    if (!person || person.disabled) return { drop: 'account disabled' };
    const r = await recipientOf(store, row.userId);
    if (!r || r.address !== row.address) return { drop: 'address changed' };
    if (row.kind === 'confirm') {
      if (r.confirmedAt !== null) return { drop: 'already confirmed' };
      return { send: confirmMail(person.lang, confirmUrl(publicUrl, secret, person.id, r.address, this.opts.clock() + CONFIRM_LINK_MS)) };
    }
    if (r.confirmedAt === null) return { drop: 'address not confirmed' };
    if (r.failingAt !== null) return { drop: 'address failing' };
    const modes = await mailModes(store, person.id);
    const ids = row.kind === 'notice' ? [ref.n ?? 0] : ref.ids ?? [];
    const items = (await visibleNotices(store, noticeFilter(person.id), ids)).filter((n) => modes[n.kind] !== 'off');
    if (items.length === 0) return { drop: 'nothing the reader may see' };
    const kinds = [...new Set(items.map((n) => n.kind))];
    const links = {
      site: `${publicUrl}/`, settings: `${publicUrl}/account#mail`, kinds,
      unsubscribe: unsubscribeUrl(publicUrl, secret, person.id, kinds),
    };
    const names = await this.childNames(person.id, person.lang, items);
    const message = row.kind === 'notice'
      ? noticeMail(person.lang, items[0], names.get(items[0].studentId ?? 0) ?? null, links)
      : digestMail(person.lang, ref.cadence ?? 'daily', group(person.lang, items, names), links);
    return { send: { ...message, unsubscribe: links.unsubscribe } };
  }

  /**
   * The names of the reader's children the items are about (their own record is named by nobody), in the
   * mail's language: an English message names the child as in the passport.
   */
  private async childNames(readerId: number, lang: Lang, items: MailNotice[]): Promise<Map<number, string>> {
    const ids = [...new Set(items.map((n) => n.studentId).filter((id): id is number => id !== null && id !== readerId))];
    return new Map((await studentNames(this.opts.store, ids)).map((s) => [Number(s.id), displayName(s, lang)]));
  }
}

/** Digest items by child, then by course, in the order they happened. */
function group(lang: Lang, items: MailNotice[], names: Map<number, string>): ChildGroup[] {
  const byChild = new Map<number, Map<number, MailNotice[]>>();
  for (const n of items) {
    const child = names.has(n.studentId ?? 0) ? n.studentId! : 0;
    const courses = byChild.get(child) ?? new Map<number, MailNotice[]>();
    const list = courses.get(n.courseId ?? 0) ?? [];
    list.push(n);
    courses.set(n.courseId ?? 0, list);
    byChild.set(child, courses);
  }
  return [...byChild].map(([child, courses]) => ({
    child: child === 0 ? null : names.get(child)!,
    courses: [...courses.values()].map((list) => ({ subject: subjectOf(lang, list[0]), lines: list.map((n) => itemLine(lang, n)) })),
  }));
}
