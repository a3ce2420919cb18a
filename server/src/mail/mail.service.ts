import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type { EntityManager } from 'typeorm';
import { CONFIG, consoleUrl, type ServerConfig } from '../config/config';
import { Database } from '../database/database.service';
import type { Channel, Delivery, Outcome } from '../outbox/channel';
import type { OutboxEvent } from '../outbox/events';
import { OutboxService } from '../outbox/outbox.service';
import type { Language } from './language';
import { renderMessage } from './messages';

const RECIPIENT = 'mail';

/** Who hears of each event by e-mail: staff who review, the customer's people, or the one person concerned. */
const STAFF_EVENTS = new Set(['order.submitted', 'trial.submitted', 'order.review_due_soon', 'order.review_overdue', 'trial.review_due_soon', 'trial.review_overdue']);
const CUSTOMER_EVENTS = new Set(['order.approved', 'order.rejected', 'trial.approved', 'trial.rejected', 'pool.nearly_full', 'pool.full', 'trial.ending', 'trial.ended']);

/**
 * E-mail through SMTP (nodemailer), one message per person and event, in the person's language,
 * as plain text and HTML. Without SEATLOCK_SMTP_URL the channel picks no recipients, so nothing
 * is queued or sent and the console shows links and decisions as before.
 */
@Injectable()
export class MailService implements Channel, OnApplicationShutdown {
  readonly name = RECIPIENT;
  private transport?: Transporter;

  constructor(
    private readonly db: Database,
    outbox: OutboxService,
    @Inject(CONFIG) private readonly config: ServerConfig,
  ) {
    // In the constructor, not at module init: the CLI and the server's start write before Nest's init runs.
    if (config.mail.smtpUrl) outbox.register(this);
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  async recipients(manager: EntityManager, event: OutboxEvent): Promise<string[]> {
    const data = event.data as Record<string, unknown>;
    let rows: Record<string, any>[] = [];
    if (STAFF_EVENTS.has(event.type)) {
      ({ rows } = await this.db.execute(manager, `SELECT id FROM users WHERE status = 'active' AND role IN ('admin', 'issuer') ORDER BY id`));
    } else if (CUSTOMER_EVENTS.has(event.type) && event.customerId) {
      ({ rows } = await this.db.execute(manager, `SELECT id FROM users WHERE status = 'active' AND role = 'customer' AND customer_id = ? ORDER BY id`, [event.customerId]));
    } else if (event.type === 'webhook.disabled') {
      ({ rows } = await this.db.execute(manager, `SELECT id FROM users WHERE status = 'active' AND role = 'admin' ORDER BY id`));
    } else if (event.type === 'user.invited' || event.type === 'user.disabled') {
      rows = [{ id: data.userId }];
    } else if (event.type === 'token.revoked') {
      // The person whose credentials made the token; tokens made from the CLI or the bootstrap token have none.
      const { rows: tokens } = await this.db.execute(manager, 'SELECT created_by FROM api_tokens WHERE id = ?', [data.tokenId]);
      const owner = /^user:(.+)$/.exec(tokens[0]?.created_by ?? '')?.[1];
      if (owner) rows = [{ id: owner }];
    }
    return rows.map((row) => `${RECIPIENT}:${row.id}`);
  }

  async deliver(delivery: Delivery): Promise<Outcome> {
    const userId = delivery.recipient.slice(RECIPIENT.length + 1);
    const user = await this.db.read(async (manager) => (await this.db.execute(manager, 'SELECT email, name, language FROM users WHERE id = ?', [userId])).rows[0]);
    if (!user) return { ok: false, final: true, error: 'the person was deleted' };
    const [event] = delivery.events;
    const message = renderMessage(event, user.language as Language, { consoleUrl: consoleUrl(this.config), name: user.name ?? null });
    this.transport ??= createTransport(this.config.mail.smtpUrl as string);
    try {
      const sent = await this.transport.sendMail({ from: this.config.mail.from, to: user.email, subject: message.subject, text: message.text, html: message.html });
      return { ok: true, answer: String(sent.response ?? '') };
    } catch (error) {
      const smtp = error as { responseCode?: number; message: string };
      // A 5xx answer (no such mailbox) will not change by trying again.
      return { ok: false, status: smtp.responseCode, error: smtp.message, final: (smtp.responseCode ?? 0) >= 500 };
    }
  }

  /** Once an invite's e-mail is sent or given up, its one-time link is erased from the outbox. */
  async settled(manager: EntityManager, delivery: Delivery, _outcome: Outcome, status: 'delivered' | 'failed' | 'retry'): Promise<void> {
    const [event] = delivery.events;
    if (event.type !== 'user.invited' || status === 'retry') return;
    const { invite: _invite, ...rest } = event.data;
    await this.db.execute(manager, 'UPDATE outbox_events SET data = ? WHERE id = ?', [JSON.stringify(rest), event.id]);
  }
}
