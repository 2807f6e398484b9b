import argon2 from 'argon2';

// argon2id with OWASP's minimum profile (19 MiB, 2 passes): ~30 ms here, strong enough for
// passwords, cheap enough that a login burst cannot starve a 2-core machine.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  // Verify against a real hash even for unknown accounts so timing does not reveal which exist.
  const target = hash ?? (await dummyHash());
  try {
    const ok = await argon2.verify(target, password);
    return hash !== null && ok;
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hashPassword('not-a-real-password-' + Math.random());
  return dummy;
}

export const PASSWORD_MIN = 10;
