import { EndpointId, HEADER, MessageId, TenantId, encodeEvent, envelope, newId } from '@hookline/contracts';
import { Producer } from 'kafkajs';
import { CommandServiceHarness, eventually, startCommandServiceHarness } from '../../test/command-service.harness';

describe('following the log (real Kafka + Postgres)', () => {
  let h: CommandServiceHarness;
  let producer: Producer;
  let tenantId: TenantId;
  let key: string;

  beforeAll(async () => {
    // The refusals this file provokes on purpose are logged at warn; keep the output to real problems.
    h = await startCommandServiceHarness('follower', { LOG_LEVEL: 'error' });
    producer = h.kafka.producer();
    await producer.connect();
    const tenant = await h.tenantWithKey('Followed', ['order.created']);
    tenantId = tenant.tenantId as TenantId;
    key = tenant.key;
  }, 60_000);
  afterAll(async () => {
    await producer?.disconnect();
    await h?.close();
  }, 60_000);

  const createEndpoint = async (body: Record<string, unknown> = {}) =>
    (await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { key, body: { url: 'http://127.0.0.1:9/hook', ...body } })).body.id as EndpointId;

  /** What the dispatcher sends when an endpoint answered 410 Gone or kept failing. */
  const dispatcherAsksToDisable = async (endpointId: string, reason: 'gone' | 'failing', detail: string, endpointVersion?: number) => {
    const event = envelope(
      { type: 'endpoint.auto_disabled.v1', data: { endpoint_id: endpointId as EndpointId, reason, detail, endpoint_version: endpointVersion } },
      { tenantId, source: 'dispatcher', correlationId: `corr-${endpointId}` },
    );
    await producer.send({
      topic: h.topics.operational,
      acks: -1,
      messages: [{ key: tenantId, value: encodeEvent(event), headers: { [HEADER.eventType]: event.type, [HEADER.eventId]: event.id, [HEADER.contentType]: 'application/json' } }],
    });
    return event;
  };
  const disabledEvents = async (endpointId: string) => (await h.events('config')).filter((r) => r.event.type === 'endpoint.disabled.v1' && r.event.aggregate_id === endpointId);

  it('a message can be resent right after it was published; an id never published is a 404 after a short wait', async () => {
    const endpointId = await createEndpoint();
    for (let i = 0; i < 3; i++) {
      const published = await h.rest('POST', `/v1/tenants/${tenantId}/messages`, { key, body: { event_type: 'order.created', payload: { i } } });
      expect(published.status).toBe(202);
      // No retry loop: the follower indexes in batches up to 250 ms apart, and the resend waits for its message.
      const resend = await h.rest('POST', `/v1/tenants/${tenantId}/messages/${published.body.id}/resend`, { key, body: { endpoint_id: endpointId } });
      expect(resend.status).toBe(202);
    }

    const started = Date.now();
    const unknown = await h.rest('POST', `/v1/tenants/${tenantId}/messages/${newId('message')}/resend`, { key, body: { endpoint_id: endpointId } });
    expect(unknown.status).toBe(404);
    expect(Date.now() - started).toBeLessThan(5000);
    // An id from the future waits no longer than a fresh one.
    const future = await h.rest('POST', `/v1/tenants/${tenantId}/messages/${newId('message', Date.now() + 3_600_000)}/resend`, { key, body: { endpoint_id: endpointId } });
    expect(future.status).toBe(404);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("the dispatcher's endpoint.auto_disabled.v1 becomes endpoint.disabled.v1 with its reason, once", async () => {
    const endpointId = await createEndpoint();
    const request = await dispatcherAsksToDisable(endpointId, 'gone', 'POST http://127.0.0.1:9/hook answered 410 Gone');

    const [disabled] = await eventually(async () => {
      const found = await disabledEvents(endpointId);
      return found.length ? found : null;
    }, 'endpoint.disabled.v1 on the config topic');
    expect(disabled.event).toMatchObject({
      tenant_id: tenantId,
      source: 'command-service',
      aggregate_id: endpointId,
      aggregate_version: 2,
      causation_id: request.id,
      actor: { kind: 'system', id: 'dispatcher' },
      data: { endpoint_id: endpointId, reason: 'gone', detail: 'POST http://127.0.0.1:9/hook answered 410 Gone' },
    });

    // The same request delivered again (the dispatcher retried its send) changes nothing.
    await dispatcherAsksToDisable(endpointId, 'gone', 'again');
    await h.followerCaughtUp();
    expect(await disabledEvents(endpointId)).toHaveLength(1);

    // The customer fixed their server and enables it again.
    const enabled = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints/${endpointId}/enable`, { key, body: {} });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ status: 'enabled', version: 3 });
  });

  it('a disable decided on an older version of the endpoint does not undo a later re-enable, also when read again', async () => {
    const endpointId = await createEndpoint();
    const request = await dispatcherAsksToDisable(endpointId, 'gone', '410 Gone', 1);
    await eventually(async () => (await disabledEvents(endpointId)).length === 1, 'the disable at version 1');
    const enabled = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints/${endpointId}/enable`, { key, body: {} });
    expect(enabled.body).toMatchObject({ status: 'enabled', version: 3 });

    // The same request read again (a replay of the operational topic): the endpoint moved on, so it stays enabled.
    await producer.send({
      topic: h.topics.operational,
      acks: -1,
      messages: [{ key: tenantId, value: encodeEvent(request), headers: { [HEADER.eventType]: request.type, [HEADER.eventId]: request.id } }],
    });
    await h.followerCaughtUp();
    expect(await disabledEvents(endpointId)).toHaveLength(1);

    // A new judgement on the current version applies.
    await dispatcherAsksToDisable(endpointId, 'failing', 'failing for 5 days', 3);
    await eventually(async () => (await disabledEvents(endpointId)).length === 2, 'the disable at version 3');
  });

  it('keeps going past records it must skip: garbage, requests it refuses, and payloads Postgres cannot index', async () => {
    const pending = await createEndpoint({ event_types: ['order.created'] });
    await h.rest('POST', `/v1/tenants/${tenantId}/event-types`, { key, body: { name: 'needs.approval', requires_approval: true } });
    const waiting = await createEndpoint({ event_types: ['needs.approval'] });
    // Named types: one of every type would wait for approval too, now that the tenant has a type that needs it.
    const target = await createEndpoint({ event_types: ['order.created'] });

    await producer.send({ topic: h.topics.operational, messages: [{ key: tenantId, value: 'not json at all' }] });
    await producer.send({
      topic: h.topics.operational,
      messages: [{ key: tenantId, value: JSON.stringify({ ...envelope({ type: 'endpoint.auto_disabled.v1', data: { endpoint_id: 'ep_\u0000', reason: 'gone', detail: '' } }, { tenantId, source: 'dispatcher', correlationId: 'x' }) }) }],
    });
    await dispatcherAsksToDisable(waiting, 'failing', 'an endpoint waiting for approval cannot be disabled'); // refused by the aggregate
    await dispatcherAsksToDisable(newId('endpoint'), 'failing', 'an endpoint that never existed'); // refused: not found

    // A message whose payload Postgres can't store (written by some other producer) must not stop the message index.
    const poisoned = envelope(
      { type: 'message.published.v1', data: { message_id: newId('message') as MessageId, event_type: 'order.created', event_type_version: null, payload: { note: 'nul \u0000 here' }, channels: [], idempotency_key: null, ordering_key: null } },
      { tenantId, source: 'command-service', correlationId: 'poison' },
    );
    await producer.send({ topic: h.topics.messages, messages: [{ key: tenantId, value: encodeEvent(poisoned) }] });

    await dispatcherAsksToDisable(target, 'failing', '5 failures in a row');
    const good = await h.rest('POST', `/v1/tenants/${tenantId}/messages`, { key, body: { event_type: 'order.created', payload: { n: 1 } } });
    expect(good.status).toBe(202);

    await eventually(async () => (await disabledEvents(target)).length === 1, 'the later disable request to be applied');
    expect(await disabledEvents(waiting)).toEqual([]);
    expect(await disabledEvents(pending)).toEqual([]);
    // The good message was indexed after the poisoned one: it can be resent.
    await eventually(
      async () => (await h.rest('POST', `/v1/tenants/${tenantId}/messages/${good.body.id}/resend`, { key, body: { endpoint_id: pending } })).status === 202,
      'the message published after the poisoned one to be resendable',
    );
    const poisonedResend = await h.rest('POST', `/v1/tenants/${tenantId}/messages/${poisoned.data.message_id}/resend`, { key, body: { endpoint_id: pending } });
    expect(poisonedResend.status).toBe(404);
  });
});
