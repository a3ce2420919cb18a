import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id (the library's default algorithm) with OWASP's recommended minimum: 19 MiB of memory,
 * 2 passes, 1 lane. Every guess at a stolen hash costs that memory; a sign-in costs a few hundred
 * milliseconds of one core at most. The parameters are stored in the (PHC-format) hash, so raising
 * them later keeps older hashes verifiable.
 */
const PARAMETERS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) of `password`, with a fresh salt. */
export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), PARAMETERS);
}

/** Whether `password` matches a hash made by {@link hashPassword} (compared in constant time by the library). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  return verify(stored, password.normalize('NFKC')).catch(() => false);
}
