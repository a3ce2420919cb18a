import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, webhookSignature } from './signature';

describe('webhook signatures', () => {
  const body = JSON.stringify({ type: 'order.submitted', timestamp: '2026-12-03T10:00:00.000Z', data: { orderId: 'o-1', reason: '资料齐全' } });
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = (secrets: string[]) => ({ 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': webhookSignature(secrets, 'msg_1', timestamp, body) });

  it('verify with the Standard Webhooks reference library, under each secret of a rotation', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const h = headers([current, previous]);
    expect(new Webhook(current).verify(body, h)).toMatchObject({ type: 'order.submitted' });
    expect(new Webhook(previous).verify(body, h)).toMatchObject({ type: 'order.submitted' });
    expect(() => new Webhook(newWebhookSecret()).verify(body, h)).toThrow();
    expect(() => new Webhook(current).verify(body.replace('o-1', 'o-2'), h)).toThrow();
  });

  it("verify with the README's three lines of Node", () => {
    const secret = newWebhookSecret();
    const h: Record<string, string> = headers([newWebhookSecret(), secret]);
    const check = (raw: string) => {
      const expected = createHmac('sha256', Buffer.from(secret.slice(6), 'base64')).update(`${h['webhook-id']}.${h['webhook-timestamp']}.${raw}`).digest('base64');
      const ok = h['webhook-signature'].split(' ').some((s) => s.length === expected.length + 3 && timingSafeEqual(Buffer.from(s.slice(3)), Buffer.from(expected)));
      return ok;
    };
    expect(check(body)).toBe(true);
    expect(check(body.replace('o-1', 'o-2'))).toBe(false);
  });
});
