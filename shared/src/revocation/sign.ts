import type { KeyObject } from 'node:crypto';
import { armor } from '../armor';
import { signCompact } from '../jws';
import { certificateKid } from '../pki/chain';
import { REVOCATION_LIST_ARMOR, REVOCATION_LIST_TYP, type RevocationList } from './list';

/**
 * Signs a revocation list with the root key (PS256, `kid` = the root certificate's key id) and
 * armors it as text.
 *
 * @example const text = signRevocationList(list, { privateKey: rootKey, certificatePem: rootPem });
 */
export function signRevocationList(list: RevocationList, root: { privateKey: KeyObject; certificatePem: string }): string {
  const header = { typ: REVOCATION_LIST_TYP, kid: certificateKid(root.certificatePem) };
  return armor(REVOCATION_LIST_ARMOR, signCompact(header, list, root.privateKey));
}
