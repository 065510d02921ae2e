import { EndpointId, TenantId, newId } from '@hookline/contracts';
import { RunningQueryService } from '../query-service';
import { fixtures } from '../testing/event-fixtures';
import { queryGrpcClient } from '../testing/grpc-client';
import { TestStack, getJson, positionOf } from '../testing/harness';

/**
 * Types declined for an endpoint of every type (endpoint.event_types_declined.v1): shown as declined, no longer as
 * awaiting approval, and an endpoint that awaits nothing else is not among those `awaiting_approval=true` lists.
 */
describe('endpoint queries: declined event types (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  let grpcAddress: string;
  const tenant = newId('tenant') as TenantId;
  const key = 'hk_declined_types_tenant_key';
  const [allDeclined, partlyDeclined, reapproved] = Array.from({ length: 3 }, () => newId('endpoint') as EndpointId);
  const t0 = Date.now() - 60_000;
  const declined = (endpointId: EndpointId, version: number, eventTypes: string[], all: string[]) =>
    fixtures.endpointEvent(tenant, version, {
      type: 'endpoint.event_types_declined.v1', data: { endpoint_id: endpointId, event_types: eventTypes, reason: 'not a partner', declined_event_types: all },
    });
  const history = [
    fixtures.tenantCreated(tenant), fixtures.apiKeyCreated(tenant, key),
    fixtures.endpointCreated(tenant, allDeclined, { approved_event_types: [] }, new Date(t0)),
    fixtures.endpointCreated(tenant, partlyDeclined, { approved_event_types: [] }, new Date(t0 + 1_000)),
    fixtures.endpointCreated(tenant, reapproved, { approved_event_types: [] }, new Date(t0 + 2_000)),
    fixtures.eventTypeCreated(tenant, 'payout.sent', { requiresApproval: true }),
    fixtures.eventTypeCreated(tenant, 'kyc.passed', { requiresApproval: true }),
    declined(allDeclined, 2, ['payout.sent', 'kyc.passed'], ['payout.sent', 'kyc.passed']),
    declined(partlyDeclined, 2, ['payout.sent'], ['payout.sent']),
    declined(reapproved, 2, ['payout.sent'], ['payout.sent']),
    fixtures.endpointEvent(tenant, 3, { type: 'endpoint.approved.v1', data: { endpoint_id: reapproved, approved_event_types: ['payout.sent'], declined_event_types: [] } }),
  ];

  beforeAll(async () => {
    stack = await TestStack.create('declinedtypes');
    let config;
    ({ service, config, baseUrl } = await stack.startService());
    grpcAddress = `127.0.0.1:${config.GRPC_PORT}`;
    expect((await getJson(baseUrl, `/v1/endpoints?position=${positionOf(await stack.publish(history))}`, key)).status).toBe(200);
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  const shown = async () => Object.fromEntries((await getJson(baseUrl, '/v1/endpoints', key)).body.data
    .map((e: { id: string; version: number; event_types_awaiting_approval: string[]; declined_event_types: string[] }) =>
      [e.id, { version: e.version, awaiting: e.event_types_awaiting_approval, declined: e.declined_event_types }]));
  const awaitingIds = async (awaiting: boolean) =>
    (await getJson(baseUrl, `/v1/endpoints?awaiting_approval=${awaiting}`, key)).body.data.map((e: { id: string }) => e.id);

  it('shows declined types apart from those awaited; one declined, then approved by name, is neither', async () => {
    expect(await shown()).toEqual({
      [allDeclined]: { version: 2, awaiting: [], declined: ['kyc.passed', 'payout.sent'] }, // in the tenant's order of types
      [partlyDeclined]: { version: 2, awaiting: ['kyc.passed'], declined: ['payout.sent'] },
      [reapproved]: { version: 3, awaiting: ['kyc.passed'], declined: [] },
    });
    expect((await getJson(baseUrl, `/v1/tenants/${tenant}/endpoints/${allDeclined}`, key)).body)
      .toMatchObject({ status: 'enabled', event_types: null, event_types_awaiting_approval: [], declined_event_types: ['kyc.passed', 'payout.sent'] });
  });

  it('lists as awaiting approval only endpoints that await a type not declined', async () => {
    expect(await awaitingIds(true)).toEqual([reapproved, partlyDeclined]);
    expect(await awaitingIds(false)).toEqual([allDeclined]);
  });

  it('answers the same over gRPC', async () => {
    const { client, call } = queryGrpcClient(grpcAddress, 'EndpointsService', key);
    try {
      expect(await call('GetEndpoint', { endpoint_id: partlyDeclined }))
        .toMatchObject({ event_types_awaiting_approval: ['kyc.passed'], declined_event_types: ['payout.sent'] });
      expect((await call('ListEndpoints', { awaiting_approval: true })).data.map((e: { id: string }) => e.id)).toEqual([reapproved, partlyDeclined]);
    } finally {
      client.close();
    }
  });

  it('the same events delivered again change nothing', async () => {
    const before = await shown();
    const again = await stack.publish(history.slice(2));
    expect((await getJson(baseUrl, `/v1/endpoints?position=${positionOf(again)}`, key)).status).toBe(200);
    expect(await shown()).toEqual(before);
    expect(await awaitingIds(true)).toEqual([reapproved, partlyDeclined]);
  });
});
