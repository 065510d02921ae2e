import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommandServiceHarness, Json, startCommandServiceHarness } from '../../test/command-service.harness';

jest.setTimeout(60_000);

/**
 * POST …/endpoints/{id}/decline-event-types (gRPC EndpointService/DeclineEventTypes): an endpoint of every type stops
 * awaiting approval for the types declined, and a later approval leaves them declined unless it names them.
 */
describe('declining types an endpoint awaits approval for (real Kafka, real Postgres)', () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  let key: string;

  beforeAll(async () => {
    h = await startCommandServiceHarness('decline-types');
  });
  // A tenant per test: a type made to need approval in one must not hold back the endpoints of the next.
  beforeEach(async () => {
    ({ tenantId, key } = await h.tenantWithKey('decline-types', ['invoice.paid']));
  });
  afterAll(async () => {
    await h?.close();
  });

  const base = () => `/v1/tenants/${tenantId}/endpoints`;
  const gate = async (name: string) =>
    expect((await h.rest('POST', `/v1/tenants/${tenantId}/event-types`, { key, body: { name, requires_approval: true } })).status).toBe(201);
  /** An endpoint of every type, created before any type needs approval: it awaits those made to need it since. */
  const everyTypeEndpoint = async () => {
    const created = await h.rest('POST', base(), { key, body: { url: 'http://127.0.0.1:9/all' } });
    expect([created.status, created.body.status]).toEqual([201, 'enabled']);
    return created.body.id as string;
  };
  const decline = (endpointId: string, body: Json, k: string = key) => h.rest('POST', `${base()}/${endpointId}/decline-event-types`, { key: k, body });
  const approvalEvents = async (endpointId: string) => (await h.events('config'))
    .filter((r) => r.event.aggregate_id === endpointId && /approved|declined/.test(r.event.type))
    .map((r) => ({ type: r.event.type, data: r.event.data as Json }));

  it('declines awaited types over REST and gRPC; approve then approves only what is awaited, or a declined type by name', async () => {
    const endpointId = await everyTypeEndpoint();
    await gate('payout.sent');
    await gate('kyc.passed');
    await gate('card.issued');

    const declined = await decline(endpointId, { event_types: ['payout.sent'], reason: 'not a payments partner' });
    expect([declined.status, declined.body]).toEqual([200, expect.objectContaining({ id: endpointId, version: 2, status: 'enabled', position: expect.any(String) })]);
    const reply = await h.grpc('EndpointService', 'DeclineEventTypes', { tenant_id: tenantId, endpoint_id: endpointId, event_types: ['kyc.passed'] });
    expect(reply).toMatchObject({ id: endpointId, version: 3, status: 'enabled' });

    // A declined type is not sent, test messages included.
    const test = await h.rest('POST', `${base()}/${endpointId}/test`, { key, body: { event_type: 'payout.sent' } });
    expect([test.status, test.body.detail]).toEqual([409, expect.stringContaining('not approved for "payout.sent"')]);

    // Approving what is awaited leaves the declined types out; approving by name lifts a decline.
    expect((await h.rest('POST', `${base()}/${endpointId}/approve`, { key, body: {} })).status).toBe(200);
    expect((await h.rest('POST', `${base()}/${endpointId}/approve`, { key })).status).toBe(409); // nothing awaited is left
    await h.grpc('EndpointService', 'ApproveEndpoint', { tenant_id: tenantId, endpoint_id: endpointId, event_types: ['kyc.passed'] }, key);

    expect(await approvalEvents(endpointId)).toEqual([
      { type: 'endpoint.event_types_declined.v1', data: { endpoint_id: endpointId, event_types: ['payout.sent'], reason: 'not a payments partner', declined_event_types: ['payout.sent'] } },
      { type: 'endpoint.event_types_declined.v1', data: { endpoint_id: endpointId, event_types: ['kyc.passed'], reason: '', declined_event_types: ['payout.sent', 'kyc.passed'] } },
      { type: 'endpoint.approved.v1', data: { endpoint_id: endpointId, approved_event_types: ['card.issued'] } },
      { type: 'endpoint.approved.v1', data: { endpoint_id: endpointId, approved_event_types: ['card.issued', 'kyc.passed'], declined_event_types: ['payout.sent'] } },
    ]);
    const [event] = (await h.events('config')).filter((r) => r.event.type === 'endpoint.event_types_declined.v1' && r.event.aggregate_id === endpointId);
    expect(event.event).toMatchObject({ tenant_id: tenantId, aggregate_version: 2, source: 'command-service' });
  });

  it('refuses (409, naming it) a type that needs no approval, is not awaited, or an endpoint that lists its types; 400 for a malformed request', async () => {
    const endpointId = await everyTypeEndpoint();
    await gate('loan.granted');
    const listing = (await h.rest('POST', base(), { key, body: { url: 'http://127.0.0.1:9/one', event_types: ['invoice.paid'] } })).body.id as string;
    expect((await decline(endpointId, { event_types: ['loan.granted'] })).status).toBe(200);

    for (const [id, types, message] of [
      [endpointId, ['invoice.paid'], /event type invoice\.paid does not need approval/],
      [endpointId, ['no.such.type'], /no\.such\.type does not need approval \(or does not exist\)/],
      [endpointId, ['loan.granted'], /loan\.granted is already declined/],
      [listing, ['loan.granted'], /lists its event types/],
    ] as Array<[string, string[], RegExp]>) {
      const res = await decline(id, { event_types: types });
      expect([types, res.status, res.body.detail]).toEqual([types, 409, expect.stringMatching(message)]);
    }
    await expect(h.grpc('EndpointService', 'DeclineEventTypes', { tenant_id: tenantId, endpoint_id: endpointId, event_types: ['invoice.paid'] }, key))
      .rejects.toMatchObject({ code: GrpcStatus.FAILED_PRECONDITION, details: expect.stringContaining('invoice.paid') });

    for (const body of [{}, { event_types: [] }, { event_types: 'loan.granted' }, { event_types: ['a.b', 'a.b'] }, { event_types: ['a.b'], reason: 7 }]) {
      expect([body, (await decline(endpointId, body)).status]).toEqual([body, 400]);
    }
    await expect(h.grpc('EndpointService', 'DeclineEventTypes', { tenant_id: tenantId, endpoint_id: endpointId }, key))
      .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    expect((await decline('ep_01J0000000000000000000000Z', { event_types: ['loan.granted'] })).status).toBe(404);
    expect((await h.events('config')).filter((r) => r.event.type === 'endpoint.event_types_declined.v1' && r.event.aggregate_id === endpointId)).toHaveLength(1);
  });

  it('is for admin keys and the tenant\'s own keys, as approve is: portal sessions and other tenants are refused', async () => {
    const endpointId = await everyTypeEndpoint();
    await gate('tax.filed');
    const other = await h.tenantWithKey('decline-types-other');
    expect((await decline(endpointId, { event_types: ['tax.filed'] }, other.key)).status).toBe(404);

    const session = await h.rest('POST', `/v1/tenants/${tenantId}/portal-sessions`, { key, body: {} });
    expect(session.status).toBe(201);
    expect((await decline(endpointId, { event_types: ['tax.filed'] }, session.body.token)).status).toBe(403);
    await expect(h.grpc('EndpointService', 'DeclineEventTypes', { tenant_id: tenantId, endpoint_id: endpointId, event_types: ['tax.filed'] }, session.body.token))
      .rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });

    // An admin key may decline for any tenant.
    expect((await h.rest('POST', `${base()}/${endpointId}/decline-event-types`, { body: { event_types: ['tax.filed'] } })).status).toBe(200);
  });
});
