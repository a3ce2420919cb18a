import { Inject, Injectable } from '@nestjs/common';
import { SeatlockError } from '@seatlock/shared';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../clock/clock';
import { foundOrFail } from '../common/find-or-fail';
import { CONFIG, type ServerConfig } from '../config/config';
import { Database } from '../database/database.service';
import type { Channel, Delivery, Outcome, StoredEvent } from '../outbox/channel';
import { EVENT_TYPES, type EventType, type OutboxEvent } from '../outbox/events';
import { type DeliveryRecord, OutboxService } from '../outbox/outbox.service';
import { allowedAddresses, urlHost } from './address-check';
import { newWebhookSecret, webhookSignature } from './signature';
import { sendWebhook } from './webhook-sender';

/** After a rotation the previous secret still signs (beside the new one) this long, while receivers switch. */
export const SECRET_OVERLAP_HOURS = 24;

export type EndpointStatus = 'enabled' | 'disabled';

export interface EndpointResponse {
  id: string;
  url: string;
  eventTypes: EventType[];
  status: EndpointStatus;
  /** Since when every delivery has failed; null while they succeed. */
  failingSince: string | null;
  /** Until when the previous secret also signs, after a rotation. */
  previousSecretUntil: string | null;
  createdAt: string;
  disabledAt: string | null;
}

export interface EndpointWithSecret extends EndpointResponse {
  /** Shown in this answer only. */
  secret: string;
}

export interface EndpointInput {
  url?: string;
  eventTypes?: string[];
  enabled?: boolean;
}

const RECIPIENT = 'webhook';

/** The body of a webhook request: the Standard Webhooks `{type, timestamp, data}`. */
export interface WebhookBody {
  type: OutboxEvent['type'];
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * Webhook endpoints, managed by admins, and the outbox channel that posts events to them, signed
 * with each endpoint's secret (Standard Webhooks). The secret signs, so it is stored as it is
 * (a hash could not sign); it is shown once, when made or rotated.
 */
@Injectable()
export class WebhooksService implements Channel {
  readonly name = RECIPIENT;

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    @Inject(CONFIG) private readonly config: ServerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // In the constructor, not at module init: the CLI and the server's start write before Nest's init runs.
    outbox.register(this);
  }

  async createEndpoint(input: EndpointInput, actor: string): Promise<EndpointWithSecret> {
    const url = await this.checkedUrl(input.url);
    const eventTypes = checkedEventTypes(input.eventTypes);
    const secret = newWebhookSecret();
    const id = randomUUID();
    const now = this.clock.now().toISOString();
    await this.db.write(async (manager) => {
      await this.db.execute(manager, `INSERT INTO webhook_endpoints (id, url, event_types, secret, status, created_at) VALUES (?, ?, ?, ?, 'enabled', ?)`, [
        id,
        url,
        JSON.stringify(eventTypes),
        secret,
        now,
      ]);
      await this.audit.append(manager, [{ action: 'webhook.created', actor, subject: `webhook:${id}`, data: { url, eventTypes } }]);
    });
    return { ...(await this.getEndpoint(id)), secret };
  }

  async listEndpoints(): Promise<EndpointResponse[]> {
    return this.db.read(async (manager) => (await this.db.execute(manager, 'SELECT * FROM webhook_endpoints ORDER BY created_at, id')).rows.map(mapEndpoint));
  }

  async getEndpoint(id: string): Promise<EndpointResponse> {
    return mapEndpoint(await this.db.read((manager) => this.findEndpoint(manager, id)));
  }

  /** Changes the URL or event types, or disables or enables an endpoint (enabling starts its count of failing days over). */
  async updateEndpoint(id: string, input: EndpointInput, actor: string): Promise<EndpointResponse> {
    const url = input.url === undefined ? undefined : await this.checkedUrl(input.url);
    const eventTypes = input.eventTypes === undefined ? undefined : checkedEventTypes(input.eventTypes);
    const now = this.clock.now().toISOString();
    await this.db.write(async (manager) => {
      const row = await this.findEndpoint(manager, id);
      const enabled = input.enabled ?? row.status === 'enabled';
      await this.db.execute(manager, 'UPDATE webhook_endpoints SET url = ?, event_types = ?, status = ?, disabled_at = ?, failing_since = ? WHERE id = ?', [
        url ?? row.url,
        eventTypes ? JSON.stringify(eventTypes) : row.event_types,
        enabled ? 'enabled' : 'disabled',
        enabled ? null : (row.disabled_at ?? now),
        enabled && row.status !== 'enabled' ? null : row.failing_since,
        id,
      ]);
      if (!enabled) await this.failPending(manager, id, 'the endpoint was disabled');
      await this.audit.append(manager, [{ action: 'webhook.updated', actor, subject: `webhook:${id}`, data: { url: url ?? row.url, eventTypes: eventTypes ?? JSON.parse(row.event_types), enabled } }]);
    });
    return this.getEndpoint(id);
  }

  async deleteEndpoint(id: string, actor: string): Promise<void> {
    await this.db.write(async (manager) => {
      await this.findEndpoint(manager, id);
      await this.db.execute(manager, 'DELETE FROM webhook_endpoints WHERE id = ?', [id]);
      await this.failPending(manager, id, 'the endpoint was deleted');
      await this.audit.append(manager, [{ action: 'webhook.deleted', actor, subject: `webhook:${id}` }]);
    });
  }

  /** A new secret, shown in this answer only; the previous one keeps signing too for {@link SECRET_OVERLAP_HOURS} hours. */
  async rotateSecret(id: string, actor: string): Promise<EndpointWithSecret> {
    const secret = newWebhookSecret();
    const until = new Date(this.clock.now().getTime() + SECRET_OVERLAP_HOURS * 3_600_000).toISOString();
    await this.db.write(async (manager) => {
      const row = await this.findEndpoint(manager, id);
      await this.db.execute(manager, 'UPDATE webhook_endpoints SET secret = ?, previous_secret = ?, previous_secret_until = ? WHERE id = ?', [secret, row.secret, until, id]);
      await this.audit.append(manager, [{ action: 'webhook.secret-rotated', actor, subject: `webhook:${id}`, data: { previousSecretUntil: until } }]);
    });
    return { ...(await this.getEndpoint(id)), secret };
  }

  async listDeliveries(id: string, limit = 50, before?: number): Promise<DeliveryRecord[]> {
    await this.getEndpoint(id);
    return this.outbox.listDeliveries(`${RECIPIENT}:${id}`, limit, before);
  }

  /** Queues a delivery's events again for the endpoint. */
  async sendAgain(id: string, deliveryId: number, actor: string): Promise<DeliveryRecord> {
    const endpoint = await this.getEndpoint(id);
    if (endpoint.status !== 'enabled') throw new SeatlockError('INVALID_REQUEST', 'The endpoint is disabled: enable it first.');
    const recipient = `${RECIPIENT}:${id}`;
    foundOrFail(await this.outbox.getDelivery(recipient, deliveryId), 'delivery', String(deliveryId));
    const created = await this.outbox.sendAgain(recipient, deliveryId);
    await this.audit.record({ action: 'webhook.sent-again', actor, subject: `webhook:${id}`, data: { delivery: deliveryId, as: created } });
    return foundOrFail(await this.outbox.getDelivery(recipient, created), 'delivery', String(created));
  }

  async recipients(manager: EntityManager, event: OutboxEvent): Promise<string[]> {
    const { rows } = await this.db.execute(manager, `SELECT id, event_types FROM webhook_endpoints WHERE status = 'enabled'`);
    return rows.filter((row) => (JSON.parse(row.event_types) as string[]).includes(event.type)).map((row) => `${RECIPIENT}:${row.id}`);
  }

  async deliver(delivery: Delivery): Promise<Outcome> {
    const id = delivery.recipient.slice(RECIPIENT.length + 1);
    const row = await this.db.read(async (manager) => (await this.db.execute(manager, 'SELECT * FROM webhook_endpoints WHERE id = ?', [id])).rows[0]);
    if (!row || row.status !== 'enabled') return { ok: false, final: true, error: 'the endpoint was deleted or disabled' };
    const now = this.clock.now();
    const secrets = [row.secret, ...(row.previous_secret && row.previous_secret_until > now.toISOString() ? [row.previous_secret] : [])];
    const body = JSON.stringify(webhookBody(delivery.events));
    const messageId = `msg_${delivery.events[0].id}`;
    const timestamp = Math.floor(now.getTime() / 1000);
    return sendWebhook({
      url: row.url,
      body,
      headers: { 'webhook-id': messageId, 'webhook-timestamp': String(timestamp), 'webhook-signature': webhookSignature(secrets, messageId, timestamp, body) },
      timeoutMs: this.config.webhooks.timeoutSeconds * 1000,
      allowPrivate: this.config.webhooks.allowPrivate,
    });
  }

  /** Counts an endpoint's days of failures; past the limit it is disabled and what waits for it fails. */
  async settled(manager: EntityManager, delivery: Delivery, outcome: Outcome): Promise<void> {
    const id = delivery.recipient.slice(RECIPIENT.length + 1);
    const now = this.clock.now();
    if (outcome.ok) {
      await this.db.execute(manager, 'UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?', [id]);
      return;
    }
    await this.db.execute(manager, 'UPDATE webhook_endpoints SET failing_since = ? WHERE id = ? AND failing_since IS NULL', [now.toISOString(), id]);
    const { rows } = await this.db.execute(manager, `SELECT failing_since FROM webhook_endpoints WHERE id = ? AND status = 'enabled'`, [id]);
    const since = rows[0]?.failing_since as string | undefined;
    if (!since || now.getTime() - Date.parse(since) < this.config.webhooks.disableAfterDays * 86_400_000) return;
    await this.db.execute(manager, `UPDATE webhook_endpoints SET status = 'disabled', disabled_at = ? WHERE id = ?`, [now.toISOString(), id]);
    await this.failPending(manager, id, `the endpoint was disabled after ${this.config.webhooks.disableAfterDays} days of failures`);
    await this.audit.append(manager, [{ action: 'webhook.disabled', actor: 'system', subject: `webhook:${id}`, data: { failingSince: since } }]);
  }

  private async failPending(manager: EntityManager, id: string, error: string): Promise<void> {
    await this.db.execute(manager, `UPDATE outbox_deliveries SET status = 'failed', finished_at = ?, leased_until = NULL, error = ? WHERE recipient = ? AND status IN ('pending', 'merged') AND finished_at IS NULL`, [
      this.clock.now().toISOString(),
      error,
      `${RECIPIENT}:${id}`,
    ]);
  }

  private async findEndpoint(manager: EntityManager, id: string): Promise<Record<string, any>> {
    return foundOrFail((await this.db.execute(manager, 'SELECT * FROM webhook_endpoints WHERE id = ?', [id])).rows[0], 'webhook endpoint', id);
  }

  /** An http(s) URL without credentials, whose host resolves to public addresses only (unless private ones are allowed). */
  private async checkedUrl(value: string | undefined): Promise<string> {
    if (value === undefined || !URL.canParse(value)) throw new SeatlockError('INVALID_REQUEST', 'url must be an absolute http or https URL.');
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SeatlockError('INVALID_REQUEST', `url must be http or https; got ${url.protocol.slice(0, -1)}.`);
    if (url.username || url.password) throw new SeatlockError('INVALID_REQUEST', 'url must not carry a user name or password: requests are signed instead.');
    try {
      await allowedAddresses(urlHost(url), this.config.webhooks.allowPrivate);
    } catch (error) {
      throw new SeatlockError('INVALID_REQUEST', `The webhook URL is refused: ${(error as Error).message}.`);
    }
    return url.href;
  }
}

function checkedEventTypes(value: string[] | undefined): EventType[] {
  if (!value || value.length === 0) throw new SeatlockError('INVALID_REQUEST', `eventTypes must name at least one of ${EVENT_TYPES.join(', ')}.`);
  const unknown = value.filter((type) => !(EVENT_TYPES as readonly string[]).includes(type));
  if (unknown.length > 0) throw new SeatlockError('INVALID_REQUEST', `Unknown event types: ${unknown.join(', ')}; expected some of ${EVENT_TYPES.join(', ')}.`);
  return [...new Set(value)] as EventType[];
}

/** One event's body; a batch of device.activated events of one pool becomes one body listing every device. */
export function webhookBody(events: readonly StoredEvent[]): WebhookBody {
  const [first] = events;
  if (events.length === 1) return { type: first.type, timestamp: first.at, data: first.data };
  return { type: first.type, timestamp: first.at, data: { ...first.data, devices: events.flatMap((event) => event.data.devices as unknown[]) } };
}

function mapEndpoint(row: Record<string, any>): EndpointResponse {
  return {
    id: row.id,
    url: row.url,
    eventTypes: JSON.parse(row.event_types),
    status: row.status,
    failingSince: row.failing_since ?? null,
    previousSecretUntil: row.previous_secret_until ?? null,
    createdAt: row.created_at,
    disabledAt: row.disabled_at ?? null,
  };
}
