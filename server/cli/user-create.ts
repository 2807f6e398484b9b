// `npm run user:create -- --email a@b.c --name "Surname Given Patronymic" --role admin [--faculty LF]`
// Creates a real account (e.g. the first admin of a deployment without the demo) and prints a
// one-time password, which the person changes on the account page.
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { loadConfig } from '../config';
import { ROLES } from '../../db/schema';
import { appendAudit } from '../../db/queries/audit';
import { userByEmail, facultyIdByCode, insertAccount } from '../../db/queries/users';
import { hashPassword } from '../auth/password';
import { withConfiguredStore } from './open-store';

const Args = z.object({
  email: z.email({ message: '--email must be an e-mail address' }),
  name: z.string().trim().min(3, '--name must be "Surname Given [Patronymic]"').refine((n) => n.split(/\s+/).length >= 2, '--name needs a surname and a given name'),
  role: z.enum(ROLES, { message: `--role must be one of ${ROLES.join(', ')}` }),
  faculty: z.string().optional(),
  lang: z.enum(['en', 'ru']).default('ru'),
});

async function main() {
  const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, faculty: { type: 'string' }, lang: { type: 'string' } } });
  const parsed = Args.safeParse(values);
  if (!parsed.success) {
    console.error(parsed.error.issues.map((i) => i.message).join('\n'));
    process.exit(2);
  }
  const a = parsed.data;
  const code = await withConfiguredStore(loadConfig(), async (store) => {
    if (await userByEmail(store, a.email)) {
      console.error(`A user with the e-mail ${a.email} already exists.`);
      return 1;
    }
    let facultyId: number | null = null;
    if (a.faculty) {
      const id = await facultyIdByCode(store, a.faculty);
      if (id === undefined) {
        console.error(`No faculty with the code ${a.faculty}.`);
        return 1;
      }
      facultyId = id;
    }
    const password = randomBytes(12).toString('base64url');
    const hash = await hashPassword(password); // before the transaction: nothing but queries waits inside one
    const [surname, givenName, ...rest] = a.name.split(/\s+/);
    const user = await store.tx(async (tx) => {
      const u = await insertAccount(tx, { email: a.email, passwordHash: hash, surname, givenName,
        patronymic: rest.join(' ') || null, lang: a.lang, role: a.role, facultyId });
      await appendAudit(tx, { actorId: null, actorRole: 'operator', ip: null, action: 'user.create', entity: 'user', entityId: u.id, after: { email: u.email, role: a.role, facultyId } });
      return u;
    });
    console.log(`Created ${a.role} ${user.email} (id ${user.id}).\nOne-time password: ${password}\nAsk them to change it at /account after the first login.`);
    return 0;
  });
  if (code !== 0) process.exit(code);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
