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

const issuers = new Map<string, Promise<string>>();

/** An issuer token made with the admin `token` (one per server and admin): the second pair of eyes in reviews. */
export function issuerToken(url: string, token: string): Promise<string> {
  const key = `${url} ${token}`;
  let issuer = issuers.get(key);
  if (!issuer) {
    issuer = client(url, token)
      .post('/v1/tokens', { role: 'issuer', name: 'submits applications in tests' })
      .then((created) => {
        if (created.status !== 201) throw new Error(`issuer token: ${created.status} ${JSON.stringify(created.body)}`);
        return created.body.token as string;
      });
    issuers.set(key, issuer);
  }
  return issuer;
}

/**
 * Creates a customer and an order (or trial) that an issuer submits and the admin `token`
 * approves (four-eyes review), returning the new pool and its activation code. A negotiated
 * `unitPrice` is entered by an admin, so then a second admin token submits.
 */
export async function approvedPool(
  url: string,
  token: string,
  what: { quantity?: number; product?: string; modality?: string; trial?: boolean; unitPrice?: number } = {},
): Promise<{ customerId: string; applicationId: string; poolId: string; activationCode: string }> {
  const api = client(url, token);
  const submitter = what.unitPrice === undefined ? await issuerToken(url, token) : (await api.post('/v1/tokens', { role: 'admin', name: 'enters the negotiated price' })).body.token;
  const customer = await api.post('/v1/customers', { name: `Customer ${Math.random().toString(36).slice(2)}` });
  if (customer.status !== 201) throw new Error(`customer: ${customer.status} ${JSON.stringify(customer.body)}`);
  const product = what.product ?? 'face-detection';
  const kind = what.trial ? 'trials' : 'orders';
  const application = await client(url, submitter).post(`/v1/${kind}`, {
    customerId: customer.body.id,
    product,
    ...(what.trial ? {} : { quantity: what.quantity ?? 50 }),
    ...(what.modality ? { modality: what.modality } : {}),
    ...(what.unitPrice === undefined ? {} : { unitPrice: what.unitPrice }),
  });
  if (application.status !== 201) throw new Error(`${kind}: ${application.status} ${JSON.stringify(application.body)}`);
  const approved = await api.post(`/v1/${kind}/${application.body.id}/approve`);
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body)}`);
  return { customerId: customer.body.id, applicationId: application.body.id, poolId: approved.body.pool.id, activationCode: approved.body.pool.activationCode };
}

/**
 * What the server kept for a pool, as staff read it back: its devices' ids (every page, by cursor)
 * and its active devices' licenses (the pool's bundle, one file after another).
 */
export async function poolHoldings(url: string, adminToken: string, poolId: string): Promise<{ deviceIds: string[]; bundle: string }> {
  const admin = client(url, adminToken);
  const deviceIds: string[] = [];
  for (let after = ''; ; ) {
    const page = (await admin.get(`/v1/devices?poolId=${poolId}&limit=500${after}`)).body;
    deviceIds.push(...(page.items as { id: string }[]).map((device) => device.id));
    if (page.nextCursor === null) break;
    after = `&cursor=${page.nextCursor}`;
  }
  const bundle = (await admin.get<string>(`/v1/pools/${poolId}/licenses`)).body;
  return { deviceIds, bundle };
}
