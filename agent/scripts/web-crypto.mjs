// Injected into the bundle (esbuild `inject`): jose reaches for the global Web Crypto object, which
// Node 18 has only behind --experimental-global-webcrypto. The bundle's free `crypto` and
// `CryptoKey` references are bound to node:crypto's own instead; the process's globals stay as
// they are.
import { webcrypto } from 'node:crypto';

export const crypto = webcrypto;
export const CryptoKey = webcrypto.CryptoKey;
