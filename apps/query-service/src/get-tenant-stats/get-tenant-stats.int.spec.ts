import { EndpointId, MessageId, TenantId, newId } from '@hookline/contracts';
import { ADMIN_KEY, TestStack, getJson, positionOf } from '../testing/harness';
import { fixtures } from '../testing/event-fixtures';
import { RunningQueryService } from '../query-service';

const HOUR = 3_600_000;

interface Bucket {
  start: string;
  attempts: number;
  succeeded: number;
  failed: number;
}

describe("a tenant's delivery statistics over time (real Kafka + Postgres)", () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  let position: string;
  const tenant = newId('tenant') as TenantId;
  const other = newId('tenant') as TenantId;
  const [billing, crm, gone] = [newId('endpoint') as EndpointId, newId('endpoint') as EndpointId, newId('endpoint') as EndpointId];
  const foreign = newId('endpoint') as EndpointId;
  const key = 'hk_tenant_stats_key_for_tests';
  const otherKey = 'hk_tenant_stats_other_key_for_tests';
  // Three whole hours ago, so every attempt below but one falls in the default window (the last 24 hours).
  const base = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;

  beforeAll(async () => {
    stack = await TestStack.create('tntstats');
    ({ service, baseUrl } = await stack.startService());
    const attempt = (endpointId: EndpointId, at: number, status: 'succeeded' | 'retrying', tenantId = tenant) =>
      fixtures.attempted(tenantId, newId('message') as MessageId, endpointId, 1, status, { at: new Date(at) });
    const appended = await stack.publish([
      fixtures.tenantCreated(tenant), fixtures.apiKeyCreated(tenant, key),
      fixtures.endpointCreated(tenant, billing), fixtures.endpointCreated(tenant, crm), fixtures.endpointCreated(tenant, gone),
      fixtures.tenantCreated(other), fixtures.apiKeyCreated(other, otherKey), fixtures.endpointCreated(other, foreign),
      attempt(billing, base + 10 * 60_000, 'succeeded'), attempt(billing, base + 20 * 60_000, 'retrying'),
      attempt(crm, base + 30 * 60_000, 'succeeded'), attempt(crm, base + HOUR + 5 * 60_000, 'retrying'),
      // An endpoint deleted since: what it was sent still happened.
      attempt(gone, base + HOUR + 10 * 60_000, 'succeeded'), fixtures.endpointDeleted(tenant, gone, 2),
      // Two days back: outside the default window, inside a window by the day.
      attempt(billing, base - 48 * HOUR, 'retrying'),
      // Another tenant's attempts, in the very same hours: never counted here.
      attempt(foreign, base + 15 * 60_000, 'succeeded', other), attempt(foreign, base + HOUR + 15 * 60_000, 'retrying', other),
    ]);
    position = positionOf(appended);
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  const bucketsByStart = (buckets: Bucket[]) => new Map(buckets.map((b) => [b.start, b]));

  it("counts the last 24 hours by the hour over all the tenant's endpoints, deleted ones too, every hour listed", async () => {
    const res = await getJson(baseUrl, `/v1/stats?position=${position}`, key);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tenant_id: tenant, interval: 'hour', totals: { attempts: 5, succeeded: 3, failed: 2 } });
    expect(res.body.buckets).toHaveLength(24);
    const byStart = bucketsByStart(res.body.buckets);
    expect(byStart.get(new Date(base).toISOString())).toEqual({ start: new Date(base).toISOString(), attempts: 3, succeeded: 2, failed: 1 });
    expect(byStart.get(new Date(base + HOUR).toISOString())).toEqual({ start: new Date(base + HOUR).toISOString(), attempts: 2, succeeded: 1, failed: 1 });
    expect(byStart.get(new Date(base + 2 * HOUR).toISOString())).toMatchObject({ attempts: 0, succeeded: 0, failed: 0 });
    const starts = res.body.buckets.map((b: Bucket) => Date.parse(b.start));
    expect(starts.every((s: number, i: number) => i === 0 || s - starts[i - 1] === HOUR)).toBe(true);
    expect(Date.parse(res.body.until)).toBe(starts[23] + HOUR);
  });

  it("adds up to the totals, and to the sum of each endpoint's own statistics, bucket by bucket", async () => {
    const tenantStats = (await getJson(baseUrl, `/v1/stats?position=${position}`, key)).body;
    const sum = (buckets: Bucket[], field: 'attempts' | 'succeeded' | 'failed') => buckets.reduce((n, b) => n + b[field], 0);
    for (const field of ['attempts', 'succeeded', 'failed'] as const) expect(sum(tenantStats.buckets, field)).toBe(tenantStats.totals[field]);
    const perEndpoint = await Promise.all([billing, crm, gone].map(async (id) => (await getJson(baseUrl, `/v1/endpoints/${id}/stats`, key)).body.buckets as Bucket[]));
    expect(tenantStats.buckets.map((b: Bucket) => [b.start, b.attempts, b.succeeded]))
      .toEqual(perEndpoint[0].map((b, i) => [b.start, ...(['attempts', 'succeeded'] as const).map((f) => perEndpoint.reduce((n, ep) => n + ep[i][f], 0))]));
  });

  it("keeps tenants apart: the other tenant sees its own attempts only, and a tenant key may not ask for another's", async () => {
    const others = await getJson(baseUrl, '/v1/stats', otherKey);
    expect(others.body).toMatchObject({ tenant_id: other, totals: { attempts: 2, succeeded: 1, failed: 1 } });
    expect((await getJson(baseUrl, `/v1/tenants/${other}/stats`, key)).status).toBe(404);
    expect((await getJson(baseUrl, `/v1/tenants/${tenant}/stats`, ADMIN_KEY)).body.totals).toEqual({ attempts: 5, succeeded: 3, failed: 2 });
    // An admin key names the tenant: it has none of its own.
    expect((await getJson(baseUrl, '/v1/stats', ADMIN_KEY)).status).toBe(400);
  });

  it('counts by the day over a window asked for, reaching the older attempt', async () => {
    const since = new Date(base - 72 * HOUR).toISOString();
    const res = await getJson(baseUrl, `/v1/stats?interval=day&since=${since}`, key);
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ attempts: 6, succeeded: 3, failed: 3 });
    expect(res.body.buckets.every((b: Bucket) => b.start.endsWith('T00:00:00.000Z'))).toBe(true);
  });

  it('refuses a bad interval or window as the endpoint statistics do, 400 naming the parameter', async () => {
    for (const [query, pointer] of [['interval=minute', '/interval'], ['since=yesterday', '/since'], ['until=soon', '/until'],
      [`since=${new Date(base - 30 * 24 * HOUR).toISOString()}`, '/since'], [`since=${new Date(base).toISOString()}&until=${new Date(base).toISOString()}`, '/since']]) {
      const res = await getJson(baseUrl, `/v1/stats?${query}`, key);
      expect([query, res.status, res.body.errors?.[0]?.pointer]).toEqual([query, 400, pointer]);
    }
  });
});
