import { EndpointId, MessageId, TenantId, newId } from '@hookline/contracts';
import { TestStack, getJson, positionOf } from '../testing/harness';
import { fixtures } from '../testing/event-fixtures';
import { RunningQueryService } from '../query-service';

/**
 * Narrowing an endpoint's or a message's attempts to the ones that matter when something went wrong: by outcome,
 * HTTP status class (or no answer at all), error class, trigger and event type, each alone or together, page by page.
 */
describe('attempt list filters over REST (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  const tenant = newId('tenant') as TenantId;
  const endpoint = newId('endpoint') as EndpointId;
  const [m1, m2, m3] = [newId('message'), newId('message'), newId('message')] as MessageId[];
  const key = 'hk_attempt_filters_tenant_key';
  const t = Date.now() - 60_000;
  const at = (s: number) => ({ at: new Date(t + s * 1000) });

  beforeAll(async () => {
    stack = await TestStack.create('atmfilter');
    ({ service, baseUrl } = await stack.startService());
    const appended = await stack.publish([
      fixtures.tenantCreated(tenant), fixtures.apiKeyCreated(tenant, key), fixtures.endpointCreated(tenant, endpoint),
      fixtures.messagePublished(tenant, { messageId: m1 }), fixtures.messagePublished(tenant, { messageId: m2 }),
      fixtures.messagePublished(tenant, { messageId: m3 }),
      // m1: 503, a timeout (no answer), then 200.
      fixtures.attempted(tenant, m1, endpoint, 1, 'retrying', at(1)),
      fixtures.attempted(tenant, m1, endpoint, 2, 'retrying', { ...at(2), noAnswer: 'timeout' }),
      fixtures.attempted(tenant, m1, endpoint, 3, 'succeeded', at(3)),
      // m2 (another event type): 404, then a resend that got 200.
      fixtures.attempted(tenant, m2, endpoint, 1, 'retrying', { ...at(4), httpStatus: 404, eventType: 'invoice.voided' }),
      fixtures.attempted(tenant, m2, endpoint, 2, 'succeeded', { ...at(5), trigger: 'resend', eventType: 'invoice.voided', requestBody: '{"text":"voided"}' }),
      // m3: refused by the SSRF guard (no answer), then 502.
      fixtures.attempted(tenant, m3, endpoint, 1, 'retrying', { ...at(6), noAnswer: 'ssrf_refused' }),
      fixtures.attempted(tenant, m3, endpoint, 2, 'retrying', { ...at(7), httpStatus: 502 }),
    ]);
    expect((await getJson(baseUrl, `/v1/endpoints/${endpoint}/attempts?position=${positionOf(appended)}`, key)).status).toBe(200);
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  /** [message, attempt] of each listed attempt, newest first. */
  const listed = async (path: string) => {
    const res = await getJson(baseUrl, path, key);
    expect(res.status).toBe(200);
    return (res.body.data as Array<{ message_id: string; attempt: number }>).map((a) => [a.message_id, a.attempt]);
  };
  const ofEndpoint = (query: string) => listed(`/v1/endpoints/${endpoint}/attempts?${query}`);

  it('filters an endpoint\'s attempts by outcome, status code class, error class, trigger and event type', async () => {
    expect(await ofEndpoint('')).toHaveLength(7);
    expect(await ofEndpoint('outcome=succeeded')).toEqual([[m2, 2], [m1, 3]]);
    expect(await ofEndpoint('outcome=failed')).toEqual([[m3, 2], [m3, 1], [m2, 1], [m1, 2], [m1, 1]]);
    expect(await ofEndpoint('status_code_class=5xx')).toEqual([[m3, 2], [m1, 1]]);
    expect(await ofEndpoint('status_code_class=4xx')).toEqual([[m2, 1]]);
    expect(await ofEndpoint('status_code_class=2xx')).toEqual([[m2, 2], [m1, 3]]);
    expect(await ofEndpoint('status_code_class=none')).toEqual([[m3, 1], [m1, 2]]);
    expect(await ofEndpoint('error_class=timeout')).toEqual([[m1, 2]]);
    expect(await ofEndpoint('error_class=http_status')).toEqual([[m3, 2], [m2, 1], [m1, 1]]);
    expect(await ofEndpoint('trigger=resend')).toEqual([[m2, 2]]);
    expect(await ofEndpoint('event_type=invoice.voided')).toEqual([[m2, 2], [m2, 1]]);
    // Together, and with the time range.
    expect(await ofEndpoint('outcome=failed&event_type=invoice.paid&status_code_class=none')).toEqual([[m3, 1], [m1, 2]]);
    expect(await ofEndpoint(`outcome=failed&since=${new Date(t + 5_500).toISOString()}`)).toEqual([[m3, 2], [m3, 1]]);
  });

  it('pages through a filtered list without losing or repeating an attempt', async () => {
    const first = await getJson(baseUrl, `/v1/endpoints/${endpoint}/attempts?outcome=failed&limit=2`, key);
    expect(first.body.data.map((a: { attempt: number }) => a.attempt)).toEqual([2, 1]);
    const second = await getJson(baseUrl, `/v1/endpoints/${endpoint}/attempts?outcome=failed&limit=2&cursor=${first.body.next_cursor}`, key);
    const third = await getJson(baseUrl, `/v1/endpoints/${endpoint}/attempts?outcome=failed&limit=2&cursor=${second.body.next_cursor}`, key);
    const all = [...first.body.data, ...second.body.data, ...third.body.data].map((a: { message_id: string; attempt: number }) => [a.message_id, a.attempt]);
    expect(all).toEqual([[m3, 2], [m3, 1], [m2, 1], [m1, 2], [m1, 1]]);
    expect(third.body.next_cursor).toBeNull();
  });

  it('filters a message\'s attempts the same way', async () => {
    expect(await listed(`/v1/messages/${m1}/attempts?outcome=failed`)).toEqual([[m1, 2], [m1, 1]]);
    expect(await listed(`/v1/messages/${m1}/attempts?status_code_class=none`)).toEqual([[m1, 2]]);
    expect(await listed(`/v1/messages/${m2}/attempts?trigger=initial`)).toEqual([[m2, 1]]);
    expect(await listed(`/v1/messages/${m3}/attempts?error_class=ssrf_refused&endpoint_id=${endpoint}`)).toEqual([[m3, 1]]);
  });

  it('shows the body an attempt sent when a transformation made it, and null for the standard body', async () => {
    const res = await getJson(baseUrl, `/v1/messages/${m2}/attempts`, key);
    expect(res.body.data.map((a: { attempt: number; request_body: unknown }) => [a.attempt, a.request_body]))
      .toEqual([[2, { body: '{"text":"voided"}', body_truncated: false }], [1, null]]);
  });

  it('refuses a filter value it does not know with a problem naming the parameter', async () => {
    for (const [query, pointer] of [['outcome=ok', '/outcome'], ['status_code_class=600', '/status_code_class'], ['error_class=oops', '/error_class'],
      ['trigger=manual', '/trigger']]) {
      const res = await getJson(baseUrl, `/v1/endpoints/${endpoint}/attempts?${query}`, key);
      expect([query, res.status, res.headers.get('content-type')]).toEqual([query, 400, expect.stringContaining('application/problem+json')]);
      expect(res.body.errors).toEqual([expect.objectContaining({ pointer })]);
    }
    const res = await getJson(baseUrl, `/v1/messages/${m1}/attempts?status_code_class=2XX`, key);
    expect(res.body.errors[0].detail).toBe('status_code_class must be one of 1xx, 2xx, 3xx, 4xx, 5xx, none');
  });
});
