import { buildFingerprint, type Fingerprint } from '@seatlock/shared';
import { createHash, randomBytes } from 'node:crypto';
import { createUser, sessionClient, signIn } from './accounts';
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

const colleagues = new Map<string, Promise<ReturnType<typeof sessionClient>>>();

/**
 * A signed-in admin user whom the holder of the admin `token` invited (one per server and admin):
 * another person, as four-eyes review counts them.
 */
export function colleague(url: string, token: string): Promise<ReturnType<typeof sessionClient>> {
  const key = `${url} ${token}`;
  let session = colleagues.get(key);
  if (!session) {
    session = createUser(url, token, { email: `colleague-${randomBytes(6).toString('hex')}@seatlock.test`, role: 'admin' }).then((user) => signIn(url, user.email));
    colleagues.set(key, session);
  }
  return session;
}

/** A new token of `role` minted by the colleague of the admin `token`: it acts for another person than that admin. */
export async function colleagueToken(url: string, token: string, role: string, name = `${role} of a colleague`): Promise<string> {
  const created = await (await colleague(url, token)).post('/v1/tokens', { role, name });
  if (created.status !== 201) throw new Error(`${role} token: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.token as string;
}

const issuers = new Map<string, Promise<string>>();

/** An issuer token of the admin `token`'s colleague (one per server and admin): the second pair of eyes in reviews. */
export function issuerToken(url: string, token: string): Promise<string> {
  const key = `${url} ${token}`;
  let issuer = issuers.get(key);
  if (!issuer) {
    issuer = colleagueToken(url, token, 'issuer', 'submits applications in tests');
    issuers.set(key, issuer);
  }
  return issuer;
}

/**
 * Creates a customer and an order (or trial) that a colleague's issuer token submits and the
 * admin `token` approves (four-eyes review), returning the new pool and its activation code. A
 * negotiated `unitPrice` is entered by an admin, so then the colleague's admin token submits.
 */
export async function approvedPool(
  url: string,
  token: string,
  what: { quantity?: number; product?: string; modality?: string; trial?: boolean; unitPrice?: number } = {},
): Promise<{ customerId: string; applicationId: string; poolId: string; activationCode: string }> {
  const api = client(url, token);
  const submitter = what.unitPrice === undefined ? await issuerToken(url, token) : await colleagueToken(url, token, 'admin', 'enters the negotiated price');
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

/** Activates `count` new devices of a pool, 20 at a time (boards on a line), at the server's time; each must take a seat. */
export async function activateDevices(url: string, activationCode: string, count: number, label: string): Promise<void> {
  for (let i = 0; i < count; i += 20) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, (_, j) => client(url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint(`${label}-${i + j}`) })),
    );
    for (const answer of answers) if (answer.status !== 201) throw new Error(`activation: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}
