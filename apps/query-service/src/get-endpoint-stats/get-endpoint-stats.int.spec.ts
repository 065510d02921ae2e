import { EndpointId, MessageId, TenantId, newId } from '@hookline/contracts';
import { ADMIN_KEY, TestStack, getJson, positionOf } from '../testing/harness';
import { fixtures } from '../testing/event-fixtures';
import { RunningQueryService } from '../query-service';

const HOUR = 3_600_000;

describe("an endpoint's delivery statistics over time (real Kafka + Postgres)", () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  let position: string;
  const tenant = newId('tenant') as TenantId;
  const other = newId('tenant') as TenantId;
  const endpoint = newId('endpoint') as EndpointId;
  const quiet = newId('endpoint') as EndpointId;
  const foreign = newId('endpoint') as EndpointId;
  const key = 'hk_stats_tenant_key_for_tests';
  // Three whole hours ago, so every attempt below falls in the default window (the last 24 hours).
  const base = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;

  beforeAll(async () => {
    stack = await TestStack.create('epstats');
    ({ service, baseUrl } = await stack.startService());
    const attempt = (endpointId: EndpointId, at: number, status: 'succeeded' | 'retrying', latencyMs: number, tenantId = tenant) =>
      fixtures.attempted(tenantId, newId('message') as MessageId, endpointId, 1, status, { at: new Date(at), latencyMs });
    const appended = await stack.publish([
      fixtures.tenantCreated(tenant), fixtures.apiKeyCreated(tenant, key), fixtures.endpointCreated(tenant, endpoint),
      fixtures.endpointCreated(tenant, quiet), fixtures.tenantCreated(other), fixtures.endpointCreated(other, foreign),
      attempt(endpoint, base + 10 * 60_000, 'succeeded', 100), attempt(endpoint, base + 20 * 60_000, 'succeeded', 300),
      attempt(endpoint, base + 30 * 60_000, 'retrying', 900),
      attempt(endpoint, base + HOUR + 5 * 60_000, 'succeeded', 50),
      // Two days back: outside the default window, inside a window by the day.
      attempt(endpoint, base - 48 * HOUR, 'retrying', 15_000),
      attempt(foreign, base + 10 * 60_000, 'succeeded', 10, other),
    ]);
    position = positionOf(appended);
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  it('counts the last 24 hours by the hour, every hour listed, with latency percentiles of the hours that had attempts', async () => {
    const res = await getJson(baseUrl, `/v1/endpoints/${endpoint}/stats?position=${position}`, key);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ endpoint_id: endpoint, interval: 'hour', totals: { attempts: 4, succeeded: 3, failed: 1 } });
    expect(res.body.buckets).toHaveLength(24);
    const byStart = new Map(res.body.buckets.map((b: { start: string }) => [b.start, b]));
    expect(byStart.get(new Date(base).toISOString())).toEqual({ start: new Date(base).toISOString(), attempts: 3, succeeded: 2, failed: 1,
      latency_p50_ms: 300, latency_p95_ms: 900 });
    expect(byStart.get(new Date(base + HOUR).toISOString())).toMatchObject({ attempts: 1, succeeded: 1, failed: 0, latency_p50_ms: 50 });
    expect(byStart.get(new Date(base + 2 * HOUR).toISOString())).toEqual({ start: new Date(base + 2 * HOUR).toISOString(), attempts: 0,
      succeeded: 0, failed: 0, latency_p50_ms: null, latency_p95_ms: null });
    // Oldest first, an hour apart, ending with the hour now is in.
    const starts = res.body.buckets.map((b: { start: string }) => Date.parse(b.start));
    expect(starts.every((s: number, i: number) => i === 0 || s - starts[i - 1] === HOUR)).toBe(true);
    expect(Date.parse(res.body.until)).toBe(starts[23] + HOUR);
  });

  it('counts by the day over a window asked for, reaching the older attempt; an endpoint without attempts gets zeros', async () => {
    const since = new Date(base - 72 * HOUR).toISOString();
    const res = await getJson(baseUrl, `/v1/tenants/${tenant}/endpoints/${endpoint}/stats?interval=day&since=${since}`, ADMIN_KEY);
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ attempts: 5, succeeded: 3, failed: 2 });
    expect(res.body.buckets.every((b: { start: string }) => b.start.endsWith('T00:00:00.000Z'))).toBe(true);
    const empty = await getJson(baseUrl, `/v1/endpoints/${quiet}/stats`, key);
    expect(empty.body.totals).toEqual({ attempts: 0, succeeded: 0, failed: 0 });
    expect(empty.body.buckets.every((b: { attempts: number }) => b.attempts === 0)).toBe(true);
  });

  it("answers 404 for another tenant's endpoint and 400 naming the parameter for a bad interval or window", async () => {
    expect((await getJson(baseUrl, `/v1/endpoints/${foreign}/stats`, key)).status).toBe(404);
    for (const [query, pointer] of [['interval=minute', '/interval'], ['since=yesterday', '/since'],
      [`since=${new Date(base - 30 * 24 * HOUR).toISOString()}`, '/since'], [`since=${new Date(base).toISOString()}&until=${new Date(base).toISOString()}`, '/since']]) {
      const res = await getJson(baseUrl, `/v1/endpoints/${endpoint}/stats?${query}`, key);
      expect([query, res.status, res.body.errors?.[0]?.pointer]).toEqual([query, 400, pointer]);
    }
  });
});
