import { EndpointId, HEADER, TenantId, encodeEvent, envelope } from '@hookline/contracts';
import { Producer } from 'kafkajs';
import { CommandServiceHarness, Json, eventually, startCommandServiceHarness } from './test/command-service.harness';

jest.setTimeout(60_000);

/**
 * Operational webhooks: with OPERATIONAL_WEBHOOKS_TENANT_ID set, the operational events of every other tenant become
 * messages of the operator's tenant, which the dispatcher delivers to its endpoints like any message (signed,
 * retried, resendable). Here: what the command service appends for them, read back from the messages topic.
 */
describe('operational webhooks (real Kafka, real Postgres)', () => {
  let h: CommandServiceHarness;
  let producer: Producer;
  let operator: { tenantId: string; key: string };
  let customer: { tenantId: string; key: string };

  beforeAll(async () => {
    h = await startCommandServiceHarness('ops-webhooks');
    operator = await h.tenantWithKey('operator');
    customer = await h.tenantWithKey('customer');
    Object.assign(h.env, { OPERATIONAL_WEBHOOKS_TENANT_ID: operator.tenantId });
    await h.restart();
    producer = h.kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await h?.close();
  });

  /** What the dispatcher appends when an endpoint's breaker opens. */
  const breakerOpened = (tenantId: string, endpointId: string, occurredAt?: Date) => envelope(
    { type: 'endpoint.breaker_changed.v1', data: { endpoint_id: endpointId as EndpointId, state: 'open', failure_ratio: 1 } },
    { tenantId: tenantId as TenantId, source: 'dispatcher', correlationId: `corr-${endpointId}`, occurredAt },
  );
  const sendOperational = (...events: ReturnType<typeof breakerOpened>[]) => producer.send({
    topic: h.topics.operational,
    acks: -1,
    messages: events.map((e) => ({ key: e.tenant_id, value: encodeEvent(e), headers: { [HEADER.eventType]: e.type, [HEADER.eventId]: e.id } })),
  });
  const forwarded = async () => (await h.events('messages'))
    .filter((r) => r.event.type === 'message.published.v1' && r.event.tenant_id === operator.tenantId).map((r) => r.event.data as Json);

  it("makes another tenant's operational event a message of the operator's tenant, once per event however often it is read", async () => {
    const opened = breakerOpened(customer.tenantId, 'ep_01M8QJ00000000000000000001');
    // Read twice (as after a redelivered batch); the operator's own event and a two-day-old one are not forwarded.
    await sendOperational(opened, opened, breakerOpened(operator.tenantId, 'ep_01M8QJ00000000000000000002'),
      breakerOpened(customer.tenantId, 'ep_01M8QJ00000000000000000003', new Date(Date.now() - 48 * 3600_000)));
    await h.followerCaughtUp();
    const messages = await eventually(async () => {
      const found = await forwarded();
      return found.length === 2 ? found : null;
    }, 'the forwarded messages');
    const messageId = `msg_${opened.id.slice(4)}`;
    expect(messages.map((m) => m.message_id)).toEqual([messageId, messageId]);
    expect(messages[0]).toMatchObject({
      event_type: 'endpoint.breaker_changed', channels: [customer.tenantId],
      payload: { type: 'endpoint.breaker_changed.v1', tenant_id: customer.tenantId, event_id: opened.id, data: { endpoint_id: opened.data.endpoint_id, state: 'open' } },
    });

    // A message like any other of the operator's tenant: indexed, so it can be resent to an operator endpoint.
    await h.followerCaughtUp();
    const endpoint = await h.rest('POST', `/v1/tenants/${operator.tenantId}/endpoints`, { key: operator.key, body: { url: 'http://127.0.0.1:9/ops' } });
    const resend = await h.rest('POST', `/v1/tenants/${operator.tenantId}/messages/${messageId}/resend`, { key: operator.key, body: { endpoint_id: endpoint.body.id } });
    expect(resend.status).toBe(202);
    // An endpoint's life comes too (its id only: its config events carry sealed secrets).
    const customerEndpoint = await h.rest('POST', `/v1/tenants/${customer.tenantId}/endpoints`, { key: customer.key, body: { url: 'http://127.0.0.1:9/c' } });
    const created = await eventually(async () => (await forwarded()).find((m) => m.event_type === 'endpoint.created'
      && (m.payload as Json).data.endpoint_id === customerEndpoint.body.id), 'the endpoint\'s creation forwarded');
    expect(created).toMatchObject({ channels: [customer.tenantId], payload: { type: 'endpoint.created.v1', data: { endpoint_id: customerEndpoint.body.id } } });
    expect(JSON.stringify(created)).not.toMatch(/enc:v1|whsec_/);
    // The customer's key does not see the operator's messages.
    expect((await h.rest('POST', `/v1/tenants/${operator.tenantId}/messages/${messageId}/resend`, { key: customer.key, body: { endpoint_id: endpoint.body.id } })).status).toBe(404);
  });
});
