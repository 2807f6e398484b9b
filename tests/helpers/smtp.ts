// A real SMTP server on loopback (the nodemailer project's smtp-server) for the mail tests: it keeps
// what it accepted, parsed (mailparser), and answers as a test tells it (451 now, 550 for an address).
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

/** `header(name)` is the header's raw value as sent (mailparser's structured `headers` reshape the List-* ones). */
export type Received = { to: string; messageId: string; subject: string; text: string; html: string; header: (name: string) => string | undefined };

/** A refusal (code and text) for a recipient, or null to accept; `n` counts the tries for that address from 1. */
export type Answer = (to: string, n: number) => { code: number; message: string } | null;

export type TestSmtp = {
  url: string; inbox: Received[]; answer: Answer;
  /**
   * Once `after` messages are in, the next one is received whole but never answered (no 250): the sender
   * cannot know it arrived, and it is not kept. `onHeld` runs then (the crash test kills the sender there).
   */
  holdNext: (onHeld: () => void, after?: number) => void;
  /** Empties the inbox, accepts everything, and counts tries from 1 again. */
  reset: () => void;
  close: () => Promise<void>;
};

const refusal = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export async function startSmtp(): Promise<TestSmtp> {
  const tries = new Map<string, number>();
  let hold: (() => void) | null = null;
  let holdAfter = 0;
  const state: TestSmtp = {
    url: '', inbox: [], answer: () => null,
    holdNext: (onHeld, after = 0) => { hold = onHeld; holdAfter = after; },
    reset: () => { state.inbox.length = 0; state.answer = () => null; tries.clear(); hold = null; },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'], authOptional: true, logger: false, size: 1024 * 1024,
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, cb: (err?: Error | null) => void) {
      const to = address.address.toLowerCase();
      const n = (tries.get(to) ?? 0) + 1;
      tries.set(to, n);
      const a = state.answer(to, n);
      cb(a ? refusal(a.code, a.message) : null);
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, cb: (err?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if (hold && state.inbox.length >= holdAfter) {
          // The whole message is here but not acknowledged: the sender cannot know it arrived, and it is not kept.
          const onHeld = hold;
          hold = null;
          onHeld();
          return;
        }
        const parsed = await simpleParser(Buffer.concat(chunks));
        for (const r of session.envelope.rcptTo) {
          state.inbox.push({ to: r.address.toLowerCase(), messageId: parsed.messageId ?? '', subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '', header: (name) => rawHeader(parsed, name) });
        }
        cb();
      });
    },
  });
  server.on('error', () => {}); // a client killed mid-session is expected in the crash test
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return state;
}

function rawHeader(m: ParsedMail, name: string): string | undefined {
  const line = m.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).replace(/\r?\n\s+/g, ' ').trim();
}
