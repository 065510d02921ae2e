import { EndpointId, TenantId, newId } from '@hookline/contracts';
import { TestStack, getJson, positionOf } from '../testing/harness';
import { clientCertificate, fixtures } from '../testing/event-fixtures';
import { RunningQueryService } from '../query-service';

describe('client certificate warnings in endpoint health (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  const tenant = newId('tenant') as TenantId;
  const tenantKey = 'hk_tenant_certificate_warnings_key';

  beforeAll(async () => {
    stack = await TestStack.create('certwarn');
    ({ service, baseUrl } = await stack.startService());
    await stack.publish([fixtures.tenantCreated(tenant), fixtures.apiKeyCreated(tenant, tenantKey)]);
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  const health = async (endpoint: EndpointId, appended: Awaited<ReturnType<TestStack['publish']>>) => {
    const res = await getJson(baseUrl, `/v1/endpoints/${endpoint}/health?position=${positionOf(appended)}`, tenantKey);
    expect(res.status).toBe(200);
    return res.body.client_certificate;
  };

  it("shows the endpoint's certificate with the latest warning about it, and none once it is renewed", async () => {
    const endpoint = newId('endpoint') as EndpointId;
    const t = Date.now();
    let appended = await stack.publish([fixtures.endpointCreated(tenant, endpoint, { client_certificate: clientCertificate('AA:01', '2027-01-01T00:00:00.000Z') }),
      fixtures.certificateWarning(tenant, endpoint, 'AA:01', 'expiring', new Date(t))]);
    expect(await health(endpoint, appended)).toEqual({ fingerprint_sha256: 'AA:01', not_after: '2027-01-01T00:00:00.000Z',
      warning: { stage: 'expiring', at: new Date(t).toISOString() } });

    // Expired, then the earlier warning again (a replay, or the dispatcher retrying its append): the latest one stays.
    appended = await stack.publish([fixtures.certificateWarning(tenant, endpoint, 'AA:01', 'expired', new Date(t + 1000))]);
    appended = [...appended, ...await stack.publish([fixtures.certificateWarning(tenant, endpoint, 'AA:01', 'expiring', new Date(t))])];
    expect((await health(endpoint, appended)).warning).toEqual({ stage: 'expired', at: new Date(t + 1000).toISOString() });

    appended = await stack.publish([fixtures.endpointUpdated(tenant, endpoint, 2, { client_certificate: clientCertificate('BB:02', '2028-01-01T00:00:00.000Z') })]);
    expect(await health(endpoint, appended)).toEqual({ fingerprint_sha256: 'BB:02', not_after: '2028-01-01T00:00:00.000Z', warning: null });
  });

  it('shows null for an endpoint without a client certificate', async () => {
    const endpoint = newId('endpoint') as EndpointId;
    const appended = await stack.publish([fixtures.endpointCreated(tenant, endpoint)]);
    expect(await health(endpoint, appended)).toBeNull();
  });
});
