import { loadPrivateKey, signLicense, type LicenseClaims, type LicenseSigner } from '@seatlock/shared';
import { parentPort } from 'node:worker_threads';

/** Messages in order: a `key` message switches the key for every `sign` message after it. */
export type SignWorkerRequest =
  | { type: 'key'; kid: string; certificatePem: string; privateKeyPem: string }
  | { type: 'sign'; id: number; claims: LicenseClaims };

export type SignWorkerReply = { id: number; text: string } | { id: number; error: string };

let signer: LicenseSigner | undefined;

parentPort?.on('message', (message: SignWorkerRequest) => {
  if (message.type === 'key') {
    signer = { kid: message.kid, certificatePem: message.certificatePem, privateKey: loadPrivateKey(message.privateKeyPem) };
    return;
  }
  const { id, claims } = message;
  if (!signer) {
    parentPort?.postMessage({ id, error: 'no signing key loaded' } satisfies SignWorkerReply);
    return;
  }
  signLicense(claims, signer).then(
    (text) => parentPort?.postMessage({ id, text } satisfies SignWorkerReply),
    (error: Error) => parentPort?.postMessage({ id, error: error.message } satisfies SignWorkerReply),
  );
});
