import forge from 'node-forge';
import { runAdmin } from './admin';
import { databaseEnv } from './database';

/** The passphrase the signing keys of these tests are encrypted with. */
export const PASSPHRASE = 'correct horse battery staple';

/** Runs seatlock-admin on a data dir; resolves with its exit code, stdout and stderr. */
export async function admin(dataDir: string, args: string[], env: Record<string, string> = {}) {
  return runAdmin(args, { ...(await databaseEnv(dataDir)), SEATLOCK_KEY_PASSPHRASE: PASSPHRASE, ...env });
}

/** The PBKDF2 iteration count of an encrypted PKCS#8 PEM. */
export function pbkdf2Iterations(pem: string): number {
  const info = forge.asn1.fromDer(forge.pem.decode(pem)[0].body);
  const kdf = (((info.value[0] as forge.asn1.Asn1).value[1] as forge.asn1.Asn1).value[0] as forge.asn1.Asn1).value[1] as forge.asn1.Asn1;
  return forge.asn1.derToInteger((kdf.value as forge.asn1.Asn1[])[1].value as string);
}
