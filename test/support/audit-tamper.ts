import { createHash } from 'node:crypto';

/**
 * What someone with write access to the database can do to the audit chain, knowing how it is
 * hashed (SHA-256 over the canonical JSON of each event's fields and its predecessor's hash).
 */

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Raw SQL on the server's database, `?` placeholders (rawQuery bound to a data directory, or a PostgreSQL client). */
export type RawSql = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

interface EventRow {
  seq: number;
  at: string;
  action: string;
  actor: string;
  subject: string;
  data: string;
  customer_id: string | null;
  prev_hash: string;
  hash: string;
  /** Absent before the column existed: every event then hashed under version 1. */
  hash_version?: number;
}

/** An event's hash under its version's rule: version 1 leaves the customer out, version 2 covers every column. */
function eventHash(row: EventRow, prevHash: string): string {
  const fields = { seq: row.seq, at: row.at, action: row.action, actor: row.actor, subject: row.subject, data: row.data, prevHash };
  const version = Number(row.hash_version ?? 1);
  const hashed = version === 1 ? fields : { ...fields, customerId: row.customer_id, hashVersion: version };
  return createHash('sha256').update(canonical(hashed)).digest('hex');
}

/** Edits event `seq` with `edit` and recomputes the hash of every later event and the head: the links all hold again. */
export async function rewriteEvent(sql: RawSql, seq: number, edit: (row: EventRow) => void): Promise<void> {
  const rows = await sql<EventRow>('SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq', [seq]);
  let prevHash = rows[0].prev_hash;
  for (const row of rows) {
    row.seq = Number(row.seq);
    if (row.seq === seq) edit(row);
    const hash = eventHash(row, prevHash);
    await sql('UPDATE audit_events SET actor = ?, subject = ?, data = ?, customer_id = ?, prev_hash = ?, hash = ? WHERE seq = ?', [row.actor, row.subject, row.data, row.customer_id, prevHash, hash, row.seq]);
    prevHash = hash;
  }
  await sql('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1', [rows.at(-1)?.seq, prevHash]);
}

/** Deletes every event after `keep` and points the head at event `keep`. */
export async function truncateChain(sql: RawSql, keep: number): Promise<void> {
  const [last] = await sql<{ hash: string }>('SELECT hash FROM audit_events WHERE seq = ?', [keep]);
  await sql('DELETE FROM audit_events WHERE seq > ?', [keep]);
  await sql('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1', [keep, last.hash]);
}

/** The number of events in the chain, as its head row says. */
export async function headSeq(sql: RawSql): Promise<number> {
  const [head] = await sql<{ seq: number }>('SELECT seq FROM audit_head WHERE id = 1');
  return Number(head.seq);
}
