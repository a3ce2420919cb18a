import { createPrivateKey, X509Certificate } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { jwsAlgorithmOf, signCompact } from '../jws';
import { certificateKid, checkIssuingChain } from '../pki/chain';

/** JWS `typ` of an audit checkpoint: no license, revocation list or other artifact carries it. */
export const AUDIT_CHECKPOINT_TYP = 'seatlock-audit-checkpoint+jws';

/** What a checkpoint signs: the audit chain's head. Times are seconds since the epoch. */
export interface AuditCheckpointClaims {
  v: 1;
  /** Number of events in the chain (the sequence number of its last event). */
  seq: number;
  /** Hash of event `seq`, which covers every event before it. */
  hash: string;
  iat: number;
}

/** An issuing key as the server holds it: PKCS#8 PEM, its certificate, and the certificate's kid. */
export interface CheckpointSigner {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
  readonly kid: string;
}

/** A checkpoint (or an anchor) that is damaged, not a checkpoint, or not signed by a key the pinned roots vouch for. */
export class InvalidAuditCheckpointError extends Error {
  override readonly name = 'InvalidAuditCheckpointError';
}

/**
 * Signs the chain head as a compact JWS (the issuing key's algorithm, `typ` {@link AUDIT_CHECKPOINT_TYP}, `x5c` = the
 * issuing certificate, `kid`).
 *
 * @example const token = await signAuditCheckpoint({ v: 1, seq: 1000, hash, iat: now }, issuer);
 */
export async function signAuditCheckpoint(claims: AuditCheckpointClaims, signer: CheckpointSigner): Promise<string> {
  const x5c = [signer.certificatePem.replace(/-----[^-]+-----|\s/g, '')];
  return signCompact({ typ: AUDIT_CHECKPOINT_TYP, kid: signer.kid, x5c }, claims, createPrivateKey(signer.privateKeyPem));
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function checkClaims(value: unknown): AuditCheckpointClaims {
  const c = value as Partial<AuditCheckpointClaims> | null;
  if (typeof c !== 'object' || c === null || c.v !== 1) throw new InvalidAuditCheckpointError('unsupported version');
  if (!isInt(c.seq) || c.seq < 1) throw new InvalidAuditCheckpointError('seq must be a whole number above 0');
  if (typeof c.hash !== 'string' || !/^[0-9a-f]{64}$/.test(c.hash)) throw new InvalidAuditCheckpointError('hash must be 64 hex digits');
  if (!isInt(c.iat)) throw new InvalidAuditCheckpointError('iat must be a time');
  return { v: 1, seq: c.seq, hash: c.hash, iat: c.iat };
}

function decodeClaims(token: string): AuditCheckpointClaims {
  try {
    return checkClaims(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')));
  } catch (error) {
    throw new InvalidAuditCheckpointError(error instanceof InvalidAuditCheckpointError ? error.message : 'the payload is not valid JSON');
  }
}

/**
 * Checks a checkpoint token: its `typ`, that its issuing certificate chains to one of `roots` and
 * was valid when the checkpoint was signed, and its signature. Returns the signed claims.
 *
 * @throws InvalidAuditCheckpointError saying what is wrong.
 * @example const { seq, hash } = await verifyAuditCheckpoint(token, parseCertificates(rootPem));
 */
export async function verifyAuditCheckpoint(token: string, roots: readonly X509Certificate[]): Promise<AuditCheckpointClaims> {
  let header;
  try {
    header = decodeProtectedHeader(token.trim());
  } catch (error) {
    throw new InvalidAuditCheckpointError(`it is not a compact JWS (${(error as Error).message})`);
  }
  if (header.typ !== AUDIT_CHECKPOINT_TYP) throw new InvalidAuditCheckpointError('the signed artifact is not an audit checkpoint');
  if (!Array.isArray(header.x5c) || typeof header.x5c[0] !== 'string') throw new InvalidAuditCheckpointError('its header lacks the signing certificate');
  const der = Buffer.from(header.x5c[0], 'base64');
  if (certificateKid(der) !== header.kid) throw new InvalidAuditCheckpointError('its key id does not name its certificate');
  let issuing: X509Certificate;
  try {
    issuing = new X509Certificate(der);
  } catch {
    throw new InvalidAuditCheckpointError('its signing certificate is not a certificate');
  }
  const claims = decodeClaims(token.trim());
  const chain = checkIssuingChain(issuing, roots, new Date(claims.iat * 1000));
  if (!chain.ok) throw new InvalidAuditCheckpointError(`it is not signed by a trusted key: ${chain.reason}`);
  try {
    await compactVerify(token.trim(), issuing.publicKey, { algorithms: [jwsAlgorithmOf(issuing.publicKey)] });
  } catch (error) {
    throw new InvalidAuditCheckpointError(`its signature does not verify (${(error as Error).message})`);
  }
  return claims;
}
