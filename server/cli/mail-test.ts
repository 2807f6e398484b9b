// `npm run mail:test -- --to someone@example.org [--lang ru]`: sends a test message through the outbox and
// the sender the server uses, and says what the SMTP server answered. Exit 0 when sent, 1 when not, 2 when
// e-mail is not configured or the arguments are wrong.
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { loadConfig } from '../config';
import { ensureSecret } from '../secret';
import { enqueueTestMessage, outboxRow } from '../../db/queries/mail';
import { MailSender } from '../mail/sender';
import { withConfiguredStore } from './open-store';

const { values } = parseArgs({ options: { to: { type: 'string' }, lang: { type: 'string', default: 'en' } } });
const args = z.object({ to: z.email(), lang: z.enum(['en', 'ru']) }).safeParse(values);
if (!args.success) {
  console.error('usage: npm run mail:test -- --to someone@example.org [--lang en|ru]');
  process.exit(2);
}
const config = loadConfig();
if (!config.mail) {
  console.error('E-mail is off: set SMTP_URL (smtp:// or smtps://, with credentials) and MAIL_FROM.');
  process.exit(2);
}
const mail = config.mail;
const key = randomUUID();
const row = await withConfiguredStore(config, async (store) => {
  await enqueueTestMessage(store, args.data.to, args.data.lang, key, Date.now());
  const sender = new MailSender({
    store, mail, publicUrl: config.publicUrl, secret: config.secret ?? ensureSecret(config.dataDir), clock: Date.now,
    onError: (err) => console.error(err),
  });
  sender.start();
  await sender.drain();
  await sender.stop();
  return outboxRow(store, `test:${key}`);
});
if (row?.state === 'sent') {
  console.log(`Sent a test message to ${args.data.to} through ${new URL(mail.smtpUrl).host}.`);
} else {
  console.error(`Not sent (${row?.state ?? 'missing'}): ${row?.lastError ?? 'no answer'}. ${row?.state === 'queued' ? 'The server will retry it.' : ''}`);
  process.exit(1);
}
