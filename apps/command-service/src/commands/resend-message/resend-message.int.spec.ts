import { CommandServiceHarness, Json, startCommandServiceHarness } from '../../test/command-service.harness';

jest.setTimeout(60_000);

/**
 * Where a resend goes on the messages topic. The dispatcher instance that reads a resend lets a first attempt of that
 * delivery still running there end before it sends again; that holds only if it is the instance that read the
 * message, so the resend (and each resend of a replay) must go to the message's own partition: under its ordering key
 * when it has one, not under the tenant's key.
 */
describe('resend and replay go under the message\'s own key (real Kafka, real Postgres)', () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  let key: string;
  let endpointId: string;

  beforeAll(async () => {
    h = await startCommandServiceHarness('resend-key');
    ({ tenantId, key } = await h.tenantWithKey('resending', ['order.shipped']));
    endpointId = (await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { key, body: { url: 'http://127.0.0.1:9/hooks' } })).body.id as string;
  });
  afterAll(async () => {
    await h?.close();
  });

  const publish = async (body: Json) => {
    const res = await h.rest('POST', `/v1/tenants/${tenantId}/messages`, { key, body: { event_type: 'order.shipped', ...body } });
    expect(res.status).toBe(202);
    return res.body.id as string;
  };
  const records = async (type: string, messageId: string) =>
    (await h.events('messages')).filter((r) => r.event.type === type && (r.event.data as Json).message_id === messageId);

  it('puts each resend in the partition of the message it resends, after it', async () => {
    const since = new Date().toISOString();
    // Several ordering keys, so that some hash to partitions other than the tenant's.
    const ordered: Array<{ id: string; orderingKey: string }> = [];
    for (const orderingKey of ['order-1', 'order-2', 'order-3', 'order-4', 'order-5', 'order-6', 'order-7', 'order-8']) ordered.push({ id: await publish({ payload: { orderingKey }, ordering_key: orderingKey }), orderingKey });
    const plain = await publish({ payload: { plain: true } });
    const until = new Date(Date.now() + 1).toISOString();
    await h.followerCaughtUp();

    for (const id of [...ordered.map((m) => m.id), plain]) {
      const res = await h.rest('POST', `/v1/tenants/${tenantId}/messages/${id}/resend`, { key, body: { endpoint_id: endpointId } });
      expect(res.status).toBe(202);
    }
    const replay = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints/${endpointId}/replay`, { key, body: { since, until } });
    expect(replay.body).toMatchObject({ scanned: 9, replayed: 9 });

    const partitions = new Set<number>();
    for (const { id, orderingKey } of [...ordered, { id: plain, orderingKey: null }]) {
      const [message] = await records('message.published.v1', id);
      const resends = await records('message.resend_requested.v1', id);
      expect(resends).toHaveLength(2); // the resend and the replay's
      const wantKey = orderingKey ? `${tenantId}:${orderingKey}` : tenantId;
      for (const resend of resends) {
        expect({ key: resend.key, partition: resend.partition }).toEqual({ key: wantKey, partition: message.partition });
        // The ordering key travels in the request too (the record key of a Kafka destination); absent without one.
        expect((resend.event.data as Json).ordering_key).toBe(orderingKey ?? undefined);
        expect(BigInt(resend.offset)).toBeGreaterThan(BigInt(message.offset));
      }
      partitions.add(message.partition);
    }
    // The point of the test: the messages did not all share the tenant's partition (8 random keys: 1 in 6⁸ that they would).
    expect(partitions.size).toBeGreaterThan(1);
  });
});
