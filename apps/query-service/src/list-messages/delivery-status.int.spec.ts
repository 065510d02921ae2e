import { EndpointId, MessageId, TenantId, encodePosition, newId } from '@hookline/contracts';
import { waitFor } from '@hookline/testing';
import { ADMIN_KEY, TestStack, getJson, positionOf } from '../testing/harness';
import { fixtures } from '../testing/event-fixtures';
import { RunningQueryService } from '../query-service';

describe('delivery status over REST (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  const tenant = newId('tenant') as TenantId;
  const endpoint = newId('endpoint') as EndpointId;
  const deletedEndpoint = newId('endpoint') as EndpointId;
  const tenantKey = 'hk_tenant_a_secret_for_tests';

  beforeAll(async () => {
    stack = await TestStack.create('dlvstatus');
    ({ service, baseUrl } = await stack.startService());
    const appended = await stack.publish([fixtures.tenantCreated(tenant), fixtures.apiKeyCreated(tenant, tenantKey),
      fixtures.endpointCreated(tenant, endpoint), fixtures.endpointCreated(tenant, deletedEndpoint)]);
    // The new key works at once when the request carries the position of the append that created it.
    expect((await getJson(baseUrl, `/v1/messages?position=${positionOf(appended)}`, tenantKey)).status).toBe(200);
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  const statusOf = async (messageId: MessageId) => {
    const res = await getJson(baseUrl, `/v1/messages/${messageId}?tenant_id=${tenant}`, ADMIN_KEY);
    return res.status === 200 ? (res.body.deliveries[0]?.status as string | undefined) : undefined;
  };

  it('moves pending → retrying → succeeded', async () => {
    const message = newId('message') as MessageId;
    const t = Date.now();
    const [published] = await stack.publish([fixtures.messagePublished(tenant, { messageId: message })]);
    // Read-your-writes: the position of the append makes the query wait until it is projected.
    const position = encodePosition([published]);
    const first = await getJson(baseUrl, `/v1/messages/${message}?position=${position}`, tenantKey);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: message, event_type: 'invoice.paid', payload: { amount: 42 }, deliveries: [] });

    await stack.publish([fixtures.parked(tenant, message, endpoint, new Date(t))]);
    await waitFor(async () => (await statusOf(message)) === 'pending', 15_000, 'pending');
    await stack.publish([fixtures.attempted(tenant, message, endpoint, 1, 'retrying', { at: new Date(t + 10) })]);
    await waitFor(async () => (await statusOf(message)) === 'retrying', 15_000, 'retrying');
    await stack.publish([fixtures.attempted(tenant, message, endpoint, 2, 'succeeded', { at: new Date(t + 20), latencyMs: 120 })]);
    await waitFor(async () => (await statusOf(message)) === 'succeeded', 15_000, 'succeeded');

    const detail = await getJson(baseUrl, `/v1/messages/${message}`, tenantKey);
    expect(detail.body.deliveries[0]).toMatchObject({ endpoint_id: endpoint, status: 'succeeded', attempt_count: 2, last_status_code: 200 });
    const attempts = await getJson(baseUrl, `/v1/messages/${message}/attempts`, tenantKey);
    expect(attempts.body.data.map((a: { attempt: number }) => a.attempt)).toEqual([2, 1]);
    expect(attempts.body.data[1]).toMatchObject({ succeeded: false, response: { status: 503 }, error: { class: 'http_status' } });
  });

  it('moves retrying → dead_lettered, lists the dead letter and updates endpoint health', async () => {
    const message = newId('message') as MessageId;
    const t = Date.now();
    await stack.publish([fixtures.messagePublished(tenant, { messageId: message })]);
    await stack.publish([fixtures.attempted(tenant, message, endpoint, 1, 'retrying', { at: new Date(t) })]);
    await waitFor(async () => (await statusOf(message)) === 'retrying', 15_000, 'retrying');
    const results = await stack.publish([fixtures.attempted(tenant, message, endpoint, 2, 'retrying', { at: new Date(t + 10) }),
      fixtures.deadLettered(tenant, message, endpoint, 2, new Date(t + 10))]);
    const dead = await getJson(baseUrl, `/v1/dead-letters?position=${positionOf(results)}`, tenantKey);
    expect(dead.status).toBe(200);
    expect(dead.body.data).toEqual([expect.objectContaining({ message_id: message, endpoint_id: endpoint, attempts: 2, payload: { amount: 42 }, cause: 'exhausted' })]);
    expect(await statusOf(message)).toBe('dead_lettered');

    const filtered = await getJson(baseUrl, `/v1/messages?status=dead_lettered&endpoint_id=${endpoint}`, tenantKey);
    expect(filtered.body.data.map((m: { id: string }) => m.id)).toEqual([message]);

    const health = await getJson(baseUrl, `/v1/endpoints/${endpoint}/health`, tenantKey);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ endpoint_id: endpoint, url: 'https://example.com/hook', status: 'enabled', attempts: 4, successes: 1,
      status_codes: { '200': 1, '503': 3 }, last_error: 'http_status: HTTP 503' });
    expect(health.body.success_rate).toBeCloseTo(0.25);
    expect(health.body.latency_p50_ms).toBeGreaterThan(0);
    expect(health.body.latency_p95_ms).toBeGreaterThanOrEqual(health.body.latency_p50_ms);
  });

  it('moves retrying → dropped when the dispatcher drops it with its deleted endpoint, and lists it by that status', async () => {
    const message = newId('message') as MessageId;
    const t = Date.now();
    const deliveryOn = async () => (await getJson(baseUrl, `/v1/messages/${message}`, tenantKey)).body.deliveries?.find(
      (d: { endpoint_id: string }) => d.endpoint_id === deletedEndpoint);
    await stack.publish([fixtures.messagePublished(tenant, { messageId: message }),
      fixtures.attempted(tenant, message, deletedEndpoint, 1, 'retrying', { at: new Date(t) })]);
    await waitFor(async () => (await deliveryOn())?.status === 'retrying', 15_000, 'retrying');

    const results = await stack.publish([fixtures.endpointDeleted(tenant, deletedEndpoint, 2), fixtures.dropped(tenant, message, deletedEndpoint, 1, new Date(t + 10))]);
    const dropped = await getJson(baseUrl, `/v1/messages?status=dropped&position=${positionOf(results)}`, tenantKey);
    expect(dropped.body.data.map((m: { id: string }) => m.id)).toEqual([message]);
    expect(await deliveryOn()).toMatchObject({ status: 'dropped', attempt_count: 1, next_attempt_at: null });
    // The dispatcher may announce a drop twice (a crash between announcing and deleting): nothing changes.
    await stack.publish([fixtures.dropped(tenant, message, deletedEndpoint, 1, new Date(t + 20))]);
    const retrying = await getJson(baseUrl, `/v1/messages?status=retrying&endpoint_id=${deletedEndpoint}`, tenantKey);
    expect(retrying.body.data).toEqual([]);
  });

  it('shows the endpoints a message was aimed at, and null for a message to every subscribed endpoint', async () => {
    const [aimed, broadcast] = [newId('message') as MessageId, newId('message') as MessageId];
    const appended = await stack.publish([fixtures.messagePublished(tenant, { messageId: aimed, endpointIds: [endpoint] }),
      fixtures.messagePublished(tenant, { messageId: broadcast })]);
    const one = await getJson(baseUrl, `/v1/messages/${aimed}?position=${positionOf(appended)}`, tenantKey);
    expect(one.body).toMatchObject({ id: aimed, endpoint_ids: [endpoint] });
    const list = await getJson(baseUrl, '/v1/messages?limit=250', tenantKey);
    const byId = new Map(list.body.data.map((m: { id: string; endpoint_ids: string[] | null }) => [m.id, m.endpoint_ids]));
    expect([byId.get(aimed), byId.get(broadcast)]).toEqual([[endpoint], null]);
  });

  it('answers filters it cannot use with a 400 problem naming the filter', async () => {
    const bad = await getJson(baseUrl, '/v1/messages?status=exploded', tenantKey);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([expect.objectContaining({ pointer: '/status' })]);
    expect(bad.body.detail).toContain('status');
    for (const [query, pointer] of [['limit=251', '/limit'], ['since=yesterday', '/since'], ['cursor=zzz', '/cursor'], ['endpoint_id=42', '/endpoint_id'],
      ['position=nope!', '/position'], ['colour=red', '/colour']]) {
      const res = await getJson(baseUrl, `/v1/messages?${query}`, tenantKey);
      expect([res.status, res.body.errors?.[0]?.pointer]).toEqual([400, pointer]);
    }
    // Text Postgres refuses outright (NUL) is a 400 naming the filter, not a 500 from the database.
    for (const [path, pointer] of [['/v1/messages?channel=a%00b', '/channel'], ['/v1/messages?event_type=%00', '/event_type'], ['/v1/messages?tag=%00', '/tag'],
      ['/v1/dead-letters?event_type=%00', '/event_type'],
      ['/v1/audit-log?aggregate_id=%00', '/aggregate_id'], ['/v1/audit-log?type=x%00', '/type']]) {
      const res = await getJson(baseUrl, path, tenantKey);
      expect([path, res.status, res.body.errors?.[0]?.pointer, res.body.errors?.[0]?.detail]).toEqual([path, 400, pointer,
        `${pointer.slice(1)} must not contain NUL (\\u0000) characters`]);
    }
  });

  it("finds a tenant's messages by tag, newest first, and shows each message's tags; another tenant's are never found", async () => {
    const other = newId('tenant') as TenantId;
    const [first, second, untagged, foreign] = Array.from({ length: 4 }, () => newId('message') as MessageId);
    const t = Date.now();
    const appended = await stack.publish([
      fixtures.messagePublished(tenant, { messageId: first, tags: ['customer:cus_42', 'region/eu'], at: new Date(t) }),
      fixtures.messagePublished(tenant, { messageId: second, tags: ['customer:cus_42'], at: new Date(t + 1) }),
      fixtures.messagePublished(tenant, { messageId: untagged, at: new Date(t + 2) }),
      fixtures.tenantCreated(other), fixtures.messagePublished(other, { messageId: foreign, tags: ['customer:cus_42'], at: new Date(t + 3) }),
    ]);
    const ids = async (query: string) => {
      const res = await getJson(baseUrl, `/v1/messages?${query}&position=${positionOf(appended)}`, tenantKey);
      expect(res.status).toBe(200);
      return res.body.data.map((m: { id: string }) => m.id);
    };
    await expect(ids('tag=customer:cus_42')).resolves.toEqual([second, first]);
    await expect(ids('tag=region%2Feu')).resolves.toEqual([first]);
    await expect(ids('tag=customer:cus_43')).resolves.toEqual([]);
    // With the other filters: a tag narrows, it does not widen.
    await expect(ids('tag=customer:cus_42&event_type=invoice.paid&limit=1')).resolves.toEqual([second]);
    const detail = await getJson(baseUrl, `/v1/messages/${first}`, tenantKey);
    expect(detail.body.tags).toEqual(['customer:cus_42', 'region/eu']);
    expect((await getJson(baseUrl, `/v1/messages/${untagged}`, tenantKey)).body.tags).toEqual([]);
    // The admin asking for the other tenant sees only its message under the same tag.
    const theirs = await getJson(baseUrl, `/v1/messages?tenant_id=${other}&tag=customer:cus_42`, ADMIN_KEY);
    expect(theirs.body.data.map((m: { id: string }) => m.id)).toEqual([foreign]);
  });

  it('reports lag per partition and is ready when caught up', async () => {
    const lag = await getJson(baseUrl, '/v1/projection/lag', ADMIN_KEY);
    expect(lag.status).toBe(200);
    expect(lag.body.partitions.length).toBe(stack.topics.length === 5 ? 3 * 5 : 0);
    await waitFor(async () => (await getJson(baseUrl, '/readyz')).status === 200, 15_000, 'ready');
    const metrics = await fetch(`${baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/hookline_query_projection_lag\{[^}]*topic="[^"]+deliveries[^}]*\} 0/);
  });
});
