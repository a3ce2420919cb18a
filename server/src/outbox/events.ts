import type { EntityManager } from 'typeorm';
import type { AuditEntry } from '../audit/audit.service';
import type { Database } from '../database/database.service';

/** Every event the outbox carries, as webhook receivers and e-mails know it. */
export const EVENT_TYPES = [
  'order.submitted',
  'order.approved',
  'order.rejected',
  'trial.submitted',
  'trial.approved',
  'trial.rejected',
  'pool.created',
  'pool.nearly_full',
  'pool.full',
  'device.activated',
  'device.revoked',
  'signing_key.rotated',
  'audit.verification_failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Events told only to people by e-mail, never to webhooks: an invite carries its one-time link,
 * and reminders are for people (a receiver knows a trial's end from `pool.created` and an
 * application's due date from its `*.submitted` time).
 */
export const PERSONAL_EVENT_TYPES = [
  'user.invited',
  'user.disabled',
  'token.revoked',
  'webhook.disabled',
  'order.review_due_soon',
  'order.review_overdue',
  'trial.review_due_soon',
  'trial.review_overdue',
  'trial.ending',
  'trial.ended',
] as const;
export type PersonalEventType = (typeof PERSONAL_EVENT_TYPES)[number];

/** An event to tell others of, written in the transaction of the change it describes. */
export interface OutboxEvent {
  type: EventType | PersonalEventType;
  customerId: string | null;
  /** Events with the same key that fall in the same second are delivered in one request (device.activated, per pool). */
  batchKey?: string;
  data: Record<string, unknown>;
}

/** A pool is nearly full at 80 % of its seats. */
const NEARLY_FULL = 0.8;

const APPLICATION_EVENTS: Record<string, EventType> = {
  'order.submitted': 'order.submitted',
  'order.approved': 'order.approved',
  'order.rejected': 'order.rejected',
  'trial.submitted': 'trial.submitted',
  'trial.approved': 'trial.approved',
  'trial.rejected': 'trial.rejected',
};

function subjectId(subject: string): string {
  return subject.slice(subject.indexOf(':') + 1);
}

/**
 * The events that audit entries stand for. The audit chain is the one path every change takes
 * (each service appends inside its transaction), so the outbox is written from here and commits or
 * rolls back with the change. Pool rows are read in the same transaction: a new pool's terms, and
 * whether this transaction's activations took a pool past 80 % or to 100 % of its seats.
 */
export async function eventsFromAudit(db: Database, manager: EntityManager, entries: readonly AuditEntry[]): Promise<OutboxEvent[]> {
  const events: OutboxEvent[] = [];
  const activated = new Map<string, { customerId: string; devices: Record<string, unknown>[] }>();
  for (const entry of entries) {
    const data = entry.data ?? {};
    const customerId = entry.customerId ?? null;
    const application = APPLICATION_EVENTS[entry.action];
    if (application) {
      const [kind, id] = [entry.action.split('.')[0], subjectId(entry.subject)];
      const { reason, poolId, product, quantity } = data as Record<string, unknown>;
      events.push({ type: application, customerId, data: { [`${kind}Id`]: id, customerId, ...defined({ product, quantity, poolId, reason }) } });
      if (typeof poolId === 'string') events.push(await poolCreated(db, manager, poolId));
    } else if (entry.action === 'device.activated') {
      const poolId = String(data.poolId);
      const pool = activated.get(poolId) ?? { customerId: String(customerId), devices: [] };
      pool.devices.push({ deviceId: subjectId(entry.subject), licenseId: data.licenseId, platform: data.platform });
      activated.set(poolId, pool);
    } else if (entry.action === 'device.revoked') {
      events.push({ type: 'device.revoked', customerId, data: { deviceId: subjectId(entry.subject), poolId: data.poolId, customerId, ...defined({ reason: data.reason }) } });
    } else if (entry.action === 'user.disabled') {
      events.push({ type: 'user.disabled', customerId, data: { userId: subjectId(entry.subject) } });
    } else if (entry.action === 'token.revoked') {
      events.push({ type: 'token.revoked', customerId, data: { tokenId: subjectId(entry.subject), name: data.name, ...defined({ reason: data.reason }) } });
    } else if (entry.action === 'webhook.disabled') {
      events.push({ type: 'webhook.disabled', customerId: null, data: { webhookId: subjectId(entry.subject), failingSince: data.failingSince } });
    } else if (entry.action === 'keys.rotated') {
      events.push({ type: 'signing_key.rotated', customerId: null, data: { kid: subjectId(entry.subject), rootKid: data.root } });
    }
  }
  for (const [poolId, { customerId, devices }] of activated) {
    events.push({ type: 'device.activated', customerId, batchKey: `pool:${poolId}`, data: { poolId, customerId, devices } });
    const { rows } = await db.execute(manager, 'SELECT seats, seats_used FROM pools WHERE id = ?', [poolId]);
    const seats = Number(rows[0].seats);
    const used = Number(rows[0].seats_used);
    const before = used - devices.length;
    const usage = { poolId, customerId, seats, seatsUsed: used };
    if (before < seats * NEARLY_FULL && used >= seats * NEARLY_FULL && used < seats) events.push({ type: 'pool.nearly_full', customerId, data: usage });
    if (before < seats && used >= seats) events.push({ type: 'pool.full', customerId, data: usage });
  }
  return events;
}

async function poolCreated(db: Database, manager: EntityManager, poolId: string): Promise<OutboxEvent> {
  const { rows } = await db.execute(manager, 'SELECT customer_id, kind, product, seats, expires_at FROM pools WHERE id = ?', [poolId]);
  const pool = rows[0];
  return {
    type: 'pool.created',
    customerId: pool.customer_id,
    data: { poolId, customerId: pool.customer_id, kind: pool.kind, product: pool.product, seats: Number(pool.seats), expiresAt: pool.expires_at ?? null },
  };
}

function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null));
}
