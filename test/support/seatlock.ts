import { buildFingerprint, type Fingerprint } from '@seatlock/shared';
import { createHash } from 'node:crypto';
import { client } from './http';

/** A device fingerprint with a distinct eMMC CID (strong) and a NIC MAC (weak), derived from `seed`. */
export function deviceFingerprint(seed: string | number, options: { mac?: string } = {}): Fingerprint {
  const digest = createHash('sha256').update(String(seed)).digest('hex');
  const mac = options.mac ?? `00:1a:${digest.slice(0, 2)}:${digest.slice(2, 4)}:${digest.slice(4, 6)}:${digest.slice(6, 8)}`;
  return buildFingerprint([
    { name: 'emmc.cid', value: `15010052${digest.slice(0, 24)}` },
    { name: 'net.mac.eth0', value: mac },
  ]);
}

/** Creates a customer and an approved order (or trial), returning the new pool and its activation code. */
export async function approvedPool(
  url: string,
  token: string,
  what: { quantity?: number; product?: string; modality?: string; trial?: boolean } = {},
): Promise<{ customerId: string; applicationId: string; poolId: string; activationCode: string }> {
  const api = client(url, token);
  const customer = await api.post('/v1/customers', { name: `Customer ${Math.random().toString(36).slice(2)}` });
  if (customer.status !== 201) throw new Error(`customer: ${customer.status} ${JSON.stringify(customer.body)}`);
  const product = what.product ?? 'face-detection';
  const kind = what.trial ? 'trials' : 'orders';
  const application = await api.post(`/v1/${kind}`, {
    customerId: customer.body.id,
    product,
    ...(what.trial ? {} : { quantity: what.quantity ?? 50 }),
    ...(what.modality ? { modality: what.modality } : {}),
  });
  if (application.status !== 201) throw new Error(`${kind}: ${application.status} ${JSON.stringify(application.body)}`);
  const approved = await api.post(`/v1/${kind}/${application.body.id}/approve`);
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body)}`);
  return { customerId: customer.body.id, applicationId: application.body.id, poolId: approved.body.pool.id, activationCode: approved.body.pool.activationCode };
}
