import { EndpointId, MessageId, TenantId, newId } from '@hookline/contracts';
import { RunningQueryService } from '../query-service';
import { fixtures } from '../testing/event-fixtures';
import { TestStack, getJson, positionOf } from '../testing/harness';

/**
 * A portal session's token in the query service: the portal page reads its tenant's endpoints, messages and attempts
 * with it, from another origin (the command service serves the page), until the session expires.
 */
describe('portal sessions in the query service (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  const [tenant, other] = [newId('tenant') as TenantId, newId('tenant') as TenantId];
  const endpoint = newId('endpoint') as EndpointId;
  const message = newId('message') as MessageId;
  const [live, lapsed] = ['hk_live_portal_session_that_still_works', 'hk_live_portal_session_that_expired'];

  beforeAll(async () => {
    stack = await TestStack.create('portal');
    ({ service, baseUrl } = await stack.startService());
    const appended = await stack.publish([
      fixtures.tenantCreated(tenant), fixtures.tenantCreated(other),
      fixtures.apiKeyCreated(tenant, live, { portalUntil: new Date(Date.now() + 3600_000) }),
      fixtures.apiKeyCreated(tenant, lapsed, { portalUntil: new Date('2026-01-01T00:00:00.000Z') }),
      fixtures.endpointCreated(tenant, endpoint), fixtures.messagePublished(tenant, { messageId: message }),
      fixtures.attempted(tenant, message, endpoint, 1, 'succeeded'),
    ]);
    expect((await getJson(baseUrl, `/v1/messages?position=${positionOf(appended)}`, live)).status).toBe(200);
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  it("reads its tenant's endpoints, messages and attempts, and nothing of another tenant", async () => {
    expect((await getJson(baseUrl, '/v1/endpoints', live)).body.data.map((e: { id: string }) => e.id)).toEqual([endpoint]);
    expect((await getJson(baseUrl, '/v1/messages', live)).body.data.map((m: { id: string }) => m.id)).toEqual([message]);
    expect((await getJson(baseUrl, `/v1/endpoints/${endpoint}/attempts`, live)).body.data).toHaveLength(1);
    expect((await getJson(baseUrl, `/v1/messages?tenant_id=${other}`, live)).status).toBe(404);
  });

  it('is refused once expired, with the time it expired', async () => {
    const res = await getJson(baseUrl, '/v1/endpoints', lapsed);
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe('this portal session expired at 2026-01-01T00:00:00.000Z');
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it("answers a browser's preflight from the portal page's origin, and exposes what a page reads", async () => {
    const preflight = await fetch(`${baseUrl}/v1/endpoints`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:3000', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const read = await fetch(`${baseUrl}/v1/endpoints`, { headers: { origin: 'http://127.0.0.1:3000', authorization: `Bearer ${live}` } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBe('*');
  });
});
