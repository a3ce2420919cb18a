import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, request } from '../support/http';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

const METRICS_TOKEN = 'metrics-scraper-token-0123456789';

/** Prometheus's text format as `name{labels}` → value (labels as the server printed them, in its order). */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const split = line.lastIndexOf(' ');
    samples.set(line.slice(0, split), Number(line.slice(split + 1)));
  }
  return samples;
}

describe('/metrics', () => {
  let server: StartedServer;
  beforeAll(async () => {
    server = await startServer({ env: { SEATLOCK_METRICS_TOKEN: METRICS_TOKEN } });
  });
  afterAll(() => server?.stop());

  const scrape = async () => {
    const answer = await request(server.url, 'GET', '/metrics', { token: METRICS_TOKEN });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseMetrics(answer.body as string);
  };

  it('answers only to its own token, which no API token replaces, and stays out of the API document', async () => {
    expect((await request(server.url, 'GET', '/metrics')).body.error.code).toBe('UNAUTHORIZED');
    expect((await request(server.url, 'GET', '/metrics', { token: 'not-the-metrics-token' })).status).toBe(401);
    expect((await request(server.url, 'GET', '/metrics', { token: server.adminToken })).status).toBe(401);
    const docs = await client(server.url).get('/docs-json');
    expect(Object.keys(docs.body.paths)).not.toContain('/metrics');
  });

  it('is off without SEATLOCK_METRICS_TOKEN', async () => {
    const plain = await startServer();
    try {
      const answer = await request(plain.url, 'GET', '/metrics', { token: plain.adminToken });
      expect(answer.status).toBe(401);
      expect(answer.body.error.message).toMatch(/SEATLOCK_METRICS_TOKEN/);
    } finally {
      await plain.stop();
    }
  });

  it('counts requests by route template and status, activations by outcome and error code, signing, group commits and pools short of seats', async () => {
    const large = await approvedPool(server.url, server.adminToken, { quantity: 1000 });
    const small = await approvedPool(server.url, server.adminToken, { quantity: 50 });
    const anonymous = client(server.url);
    const activate = (activationCode: string, seed: string) => anonymous.post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint(seed) });
    for (let i = 0; i < 46; i++) expect((await activate(small.activationCode, `small-${i}`)).status).toBe(201);
    expect((await activate(large.activationCode, 'large-0')).status).toBe(201);
    expect((await activate(large.activationCode, 'large-0')).status).toBe(200);
    expect((await activate('slc_not-a-code', 'nobody')).body.error.code).toBe('INVALID_ACTIVATION_CODE');
    expect((await client(server.url, server.adminToken).get(`/v1/pools/${small.poolId}`)).status).toBe(200);

    const samples = await scrape();
    const value = (sample: string) => {
      expect(samples.has(sample), sample).toBe(true);
      return samples.get(sample) as number;
    };
    expect(value('seatlock_http_requests_total{method="POST",route="/v1/activations",status="201"}')).toBe(47);
    expect(value('seatlock_http_requests_total{method="POST",route="/v1/activations",status="403"}')).toBe(1);
    // The route's template, never an id: the label set stays bounded.
    expect(value('seatlock_http_requests_total{method="GET",route="/v1/pools/:id",status="200"}')).toBeGreaterThanOrEqual(1);
    expect([...samples.keys()].some((name) => name.includes(small.poolId) && name.startsWith('seatlock_http'))).toBe(false);
    expect(value('seatlock_http_request_duration_seconds_count{method="POST",route="/v1/activations",status="201"}')).toBe(47);
    expect(value('seatlock_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/v1/activations",status="201"}')).toBe(47);

    expect(value('seatlock_activations_total{outcome="created",code=""}')).toBe(47);
    expect(value('seatlock_activations_total{outcome="existing",code=""}')).toBe(1);
    expect(value('seatlock_activations_total{outcome="refused",code="INVALID_ACTIVATION_CODE"}')).toBe(1);

    expect(value('seatlock_signing_duration_seconds_count')).toBe(47);
    expect(value('seatlock_signing_queue_depth')).toBe(0);
    expect(value('seatlock_activation_batch_size_sum')).toBe(47);
    expect(value('seatlock_activation_commit_duration_seconds_count')).toBe(value('seatlock_activation_batch_size_count'));
    expect(value('seatlock_activation_flush_duration_seconds_count')).toBe(value('seatlock_activation_batch_size_count'));

    // 4 of 50 seats free (8 %) is reported; the large pool (999 of 1,000 free) is not.
    expect(value(`seatlock_pool_seats_free{pool="${small.poolId}",customer="${small.customerId}"}`)).toBe(4);
    expect([...samples.keys()].some((name) => name.includes(large.poolId))).toBe(false);

    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) value(name);
  });

  it('counts a refusal for a full pool under its error code', async () => {
    const tiny = await approvedPool(server.url, server.adminToken, { quantity: 50 });
    const anonymous = client(server.url);
    for (let i = 0; i < 50; i++) await anonymous.post('/v1/activations', { activationCode: tiny.activationCode, platform: 'android', fingerprint: deviceFingerprint(`tiny-${i}`) });
    const before = (await scrape()).get('seatlock_activations_total{outcome="refused",code="SEATS_EXHAUSTED"}') ?? 0;
    const refused = await anonymous.post('/v1/activations', { activationCode: tiny.activationCode, platform: 'android', fingerprint: deviceFingerprint('tiny-one-too-many') });
    expect(refused.body.error.code).toBe('SEATS_EXHAUSTED');
    const after = await scrape();
    expect(after.get('seatlock_activations_total{outcome="refused",code="SEATS_EXHAUSTED"}')).toBe(before + 1);
    expect(after.get(`seatlock_pool_seats_free{pool="${tiny.poolId}",customer="${tiny.customerId}"}`)).toBe(0);
  });
});
