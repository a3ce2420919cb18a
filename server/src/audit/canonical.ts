import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * The rule an event is hashed under, stored with it. Version 1 (events written before migration
 * 1765400000000) left the customer out; version 2 covers every stored column but the hash.
 */
export const AUDIT_HASH_VERSION = 2;

export interface ChainedFields {
  seq: number;
  at: string;
  action: string;
  actor: string;
  subject: string;
  /** Canonical JSON text of the details. */
  data: string;
  customerId: string | null;
  prevHash: string;
  hashVersion: number;
}

/**
 * The hash of one link: SHA-256 over the canonical form of its fields, including the previous
 * hash, under the rule of its `hashVersion` (1: without the customer and the version).
 */
export function eventHash(fields: ChainedFields): string {
  const { customerId: _customerId, hashVersion, ...before } = fields;
  return createHash('sha256')
    .update(canonicalJson(hashVersion === 1 ? before : fields))
    .digest('hex');
}
