import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommandServiceHarness, Json, RestAnswer, startCommandServiceHarness } from '../../test/command-service.harness';

jest.setTimeout(60_000);

const INVOICE_SCHEMA = {
  type: 'object',
  required: ['invoice_id', 'amount'],
  properties: { invoice_id: { type: 'string' }, amount: { type: 'integer', minimum: 1 }, paid_at: { type: 'string', format: 'date-time' } },
};

function expectProblem(r: RestAnswer, status: number, pointer?: string) {
  expect([r.status, r.contentType]).toEqual([status, expect.stringMatching(/^application\/problem\+json/)]);
  if (pointer) expect(r.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer })]));
}

/** A test message: one message of a type to one endpoint, with the payload given or an example made from the schema. */
describe('sending an endpoint a test message (real Kafka, real Postgres)', () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  let key: string;
  let endpointId: string;

  beforeAll(async () => {
    h = await startCommandServiceHarness('test-message');
    ({ tenantId, key } = await h.tenantWithKey('Testing', ['customer.created']));
    expect((await h.rest('POST', `/v1/tenants/${tenantId}/event-types`, { key, body: { name: 'invoice.paid', schema: INVOICE_SCHEMA } })).status).toBe(201);
    endpointId = (await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { key, body: { url: 'http://127.0.0.1:9/hooks', event_types: ['invoice.paid'] } })).body.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const send = (body: Json, endpoint = endpointId, as = key) => h.rest('POST', `/v1/tenants/${tenantId}/endpoints/${endpoint}/test`, { key: as, body });
  const published = async (messageId: string) =>
    (await h.events('messages')).find((r) => r.event.type === 'message.published.v1' && (r.event.data as Json).message_id === messageId);

  it("publishes an example made from the type's schema, for that endpoint only", async () => {
    const res = await send({ event_type: 'invoice.paid' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: expect.stringMatching(/^msg_/), event_type: 'invoice.paid', position: expect.any(String) });
    expect(res.body.payload).toEqual({ invoice_id: 'string', amount: 1, paid_at: '2026-01-01T12:00:00Z' });
    const record = await published(res.body.id);
    expect(record?.event.data).toMatchObject({ event_type: 'invoice.paid', payload: res.body.payload, endpoint_ids: [endpointId] });
  });

  it('sends the payload given, checked against the schema like any message', async () => {
    const res = await send({ event_type: 'invoice.paid', payload: { invoice_id: 'in_test', amount: 4200 } });
    expect(res.status).toBe(202);
    expect((await published(res.body.id))?.event.data).toMatchObject({ payload: { invoice_id: 'in_test', amount: 4200 }, endpoint_ids: [endpointId] });
    expectProblem(await send({ event_type: 'invoice.paid', payload: { invoice_id: 'in_test', amount: 0 } }), 400, '/payload/amount');
    expectProblem(await send({ event_type: 'invoice.paid', payload: 'not an object' }), 400, '/payload');
  });

  it('refuses what the endpoint would not get, and changes nothing', async () => {
    const before = (await h.events('messages')).length;
    const unsubscribed = await send({ event_type: 'customer.created' });
    expectProblem(unsubscribed, 400, '/event_type');
    expect(unsubscribed.body.errors[0].detail).toContain('invoice.paid');
    expectProblem(await send({ event_type: 'invoice.paid' }, 'ep_01J00000000000000000000000'), 404);

    const all = (await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { key, body: { url: 'http://127.0.0.1:9/all' } })).body.id;
    expectProblem(await send({ event_type: 'no.such.type' }, all), 422, '/event_type');
    expect((await h.rest('POST', `/v1/tenants/${tenantId}/endpoints/${all}/disable`, { key, body: {} })).status).toBe(200);
    const disabled = await send({ event_type: 'customer.created' }, all);
    expectProblem(disabled, 409);
    expect(disabled.body.detail).toBe('the endpoint is disabled: it would not get the message');

    const other = await h.tenantWithKey('Other', ['invoice.paid']);
    expectProblem(await send({ event_type: 'invoice.paid' }, endpointId, other.key), 404);
    expect((await h.events('messages')).length).toBe(before);
  });

  it('may be sent from a portal session, and over gRPC', async () => {
    const session = (await h.rest('POST', `/v1/tenants/${tenantId}/portal-sessions`, { key, body: {} })).body;
    expect((await send({ event_type: 'invoice.paid' }, endpointId, session.token)).status).toBe(202);

    const reply = await h.grpc('EndpointService', 'SendTestMessage', { tenant_id: tenantId, endpoint_id: endpointId, event_type: 'invoice.paid' }, session.token);
    expect(JSON.parse(reply.payload_json)).toEqual({ invoice_id: 'string', amount: 1, paid_at: '2026-01-01T12:00:00Z' });
    expect((await published(reply.id))?.event.data).toMatchObject({ endpoint_ids: [endpointId] });
    await expect(h.grpc('EndpointService', 'SendTestMessage', { tenant_id: tenantId, endpoint_id: endpointId, event_type: 'customer.created' }, key))
      .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
  });
});
