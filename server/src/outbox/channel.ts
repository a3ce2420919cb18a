import type { EntityManager } from 'typeorm';
import type { OutboxEvent } from './events';

/** An event as stored, delivered to a channel. */
export interface StoredEvent {
  id: number;
  type: OutboxEvent['type'];
  customerId: string | null;
  data: Record<string, unknown>;
  at: string;
}

/** One request to one recipient: a single event, or several of one batch delivered together. */
export interface Delivery {
  id: number;
  recipient: string;
  /** 1 on the first try. */
  attempt: number;
  events: StoredEvent[];
}

/** What the recipient answered: the status and at most 1 KB of the body, or why nothing came back. */
export interface Outcome {
  ok: boolean;
  status?: number;
  answer?: string;
  error?: string;
  /** Trying again cannot help (the endpoint is gone or disabled): the delivery fails at once. */
  final?: boolean;
}

/**
 * A way of telling someone (webhooks, e-mail). Recipients are named `<channel>:<id>`; the channel
 * picks them for each event inside the writing transaction, and sends each delivery after commit.
 */
export interface Channel {
  readonly name: string;
  recipients(manager: EntityManager, event: OutboxEvent): Promise<string[]>;
  deliver(delivery: Delivery): Promise<Outcome>;
  /** After an outcome is recorded, in the same transaction (an endpoint's run of failures). */
  settled?(manager: EntityManager, delivery: Delivery, outcome: Outcome, finalStatus: 'delivered' | 'failed' | 'retry'): Promise<void>;
}
