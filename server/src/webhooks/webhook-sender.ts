import type { LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Outcome } from '../outbox/channel';
import { ANSWER_BYTES } from '../outbox/outbox.service';
import { allowedAddresses, forbiddenAddress, isPrivateAddress, urlHost } from './address-check';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

/**
 * Posts one webhook. The addresses are checked as the connection is made (a lookup that refuses
 * private ones), so a name that resolved to a public address when the endpoint was saved cannot be
 * pointed elsewhere later. Redirects are not followed (a 3xx is a failed delivery); the whole
 * exchange has `timeoutMs`; at most 1 KB of the answer is kept.
 */
export async function sendWebhook(webhook: WebhookRequest): Promise<Outcome> {
  const url = new URL(webhook.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, final: true, error: `${url.protocol} URLs are not sent to` };
  // IP literals skip the lookup below: they are checked here.
  const host = urlHost(url);
  if (isIP(host) !== 0 && !webhook.allowPrivate && isPrivateAddress(host)) return { ok: false, error: forbiddenAddress(host, host) };
  const lookup: LookupFunction = (hostname, options, callback) => {
    allowedAddresses(hostname, webhook.allowPrivate).then(
      (addresses: LookupAddress[]) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((entry) => entry.family === options.family) : addresses;
        if (options.all) (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, wanted);
        else callback(null, wanted[0]?.address ?? '', wanted[0]?.family ?? 4);
      },
      (error: Error) => callback(Object.assign(error, { code: 'EFORBIDDEN' }), '', 0),
    );
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Outcome>((resolve) => {
    let settled = false;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(outcome);
    };
    const req = send(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Seatlock-Webhooks/1', ...webhook.headers }, lookup }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        if (kept < ANSWER_BYTES) {
          chunks.push(chunk);
          kept += chunk.length;
        }
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const answer = Buffer.concat(chunks).toString('utf8');
        const ok = status >= 200 && status < 300;
        finish(ok ? { ok, status, answer } : { ok, status, answer, error: status >= 300 && status < 400 ? `answered ${status} (redirects are not followed)` : `answered ${status}` });
      });
      res.on('error', (error) => finish({ ok: false, status: res.statusCode, error: error.message }));
    });
    const deadline = setTimeout(() => {
      req.destroy();
      finish({ ok: false, error: `no full answer within ${webhook.timeoutMs / 1000} s` });
    }, webhook.timeoutMs);
    req.on('error', (error) => finish({ ok: false, error: error.message }));
    req.end(webhook.body);
  });
}
