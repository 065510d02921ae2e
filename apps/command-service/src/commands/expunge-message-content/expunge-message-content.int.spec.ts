import { status as GrpcStatus } from '@grpc/grpc-js';
import { ulid } from 'ulid';
import { CommandServiceHarness, Json, startCommandServiceHarness } from '../../test/command-service.harness';

jest.setTimeout(60_000);

/**
 * Expunging a message's content (Svix's "expunge payload"): one message.content_expunged.v1 under the message's own
 * key, the message index keeps the message without its payload, and it can no longer be resent or replayed.
 */
describe("expunge a message's content (real Kafka, real Postgres)", () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  let key: string;
  let endpointId: string;

  beforeAll(async () => {
    h = await startCommandServiceHarness('expunge');
    ({ tenantId, key } = await h.tenantWithKey('expunging', ['customer.updated']));
    endpointId = (await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { key, body: { url: 'http://127.0.0.1:9/hooks' } })).body.id as string;
  });
  afterAll(async () => {
    await h?.close();
  });

  const publish = async (body: Json) => {
    const res = await h.rest('POST', `/v1/tenants/${tenantId}/messages`, { key, body: { event_type: 'customer.updated', ...body } });
    expect(res.status).toBe(202);
    return res.body.id as string;
  };
  const recorded = async (type: string, messageId: string) =>
    (await h.events('messages')).filter((r) => r.event.type === type && (r.event.data as Json).message_id === messageId);

  it('appends the expunge under the message\'s key; the index drops the payload; resend is refused and replay skips it', async () => {
    const since = new Date().toISOString();
    const ordered = await publish({ payload: { ssn: '078-05-1120' }, ordering_key: 'customer-7' });
    const plain = await publish({ payload: { ssn: '219-09-9999' } });
    const kept = await publish({ payload: { name: 'Ada' } });
    const until = new Date(Date.now() + 1).toISOString();

    const res = await h.rest('DELETE', `/v1/tenants/${tenantId}/messages/${ordered}/content`, { key });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ message_id: ordered, position: expect.any(String) });
    const viaGrpc = await h.grpc<{ position: unknown }>('MessageService', 'ExpungeMessageContent', { tenant_id: tenantId, message_id: plain }, key);
    expect(viaGrpc.position).toBeTruthy();

    // Under the message's own key: every consumer reads it after the message.
    const [publishedRecord] = await recorded('message.published.v1', ordered);
    const [expunge] = await recorded('message.content_expunged.v1', ordered);
    expect(expunge.key).toBe(`${tenantId}:customer-7`);
    expect([expunge.partition, expunge.key]).toEqual([publishedRecord.partition, publishedRecord.key]);
    expect(expunge.event).toMatchObject({ tenant_id: tenantId, data: { message_id: ordered } });
    expect((await recorded('message.content_expunged.v1', plain))[0].key).toBe(tenantId);

    await h.followerCaughtUp();
    const { rows } = await h.sql('SELECT message_id, payload, content_expunged_at IS NOT NULL AS expunged FROM command.messages WHERE tenant_id = $1 ORDER BY message_id', [tenantId]);
    expect(rows).toEqual([
      { message_id: ordered, payload: null, expunged: true }, { message_id: plain, payload: null, expunged: true },
      { message_id: kept, payload: { name: 'Ada' }, expunged: false },
    ]);

    const resend = await h.rest('POST', `/v1/tenants/${tenantId}/messages/${ordered}/resend`, { key, body: { endpoint_id: endpointId } });
    expect(resend.status).toBe(409);
    expect(resend.body.detail).toMatch(/expunged/);
    await expect(h.grpc('MessageService', 'ResendMessage', { tenant_id: tenantId, message_id: plain, endpoint_id: endpointId }, key))
      .rejects.toMatchObject({ code: GrpcStatus.FAILED_PRECONDITION });

    const replay = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints/${endpointId}/replay`, { key, body: { since, until } });
    expect(replay.body).toMatchObject({ scanned: 3, replayed: 1 });
    const resent = (await h.events('messages')).filter((r) => r.event.type === 'message.resend_requested.v1').map((r) => (r.event.data as Json).message_id);
    expect(resent).toEqual([kept]);
  });

  it("answers 404 for an unknown or another tenant's recent message, and appends nothing", async () => {
    const other = await h.tenantWithKey('other', ['customer.updated']);
    const theirs = (await h.rest('POST', `/v1/tenants/${other.tenantId}/messages`, { key: other.key, body: { event_type: 'customer.updated', payload: { a: 1 } } })).body.id as string;
    await h.followerCaughtUp();
    for (const id of ['msg_01M8QH00000000000000000000', 'not-an-id']) {
      const res = await h.rest('DELETE', `/v1/tenants/${tenantId}/messages/${id}/content`, { key });
      expect([id, res.status, res.contentType]).toEqual([id, 404, expect.stringContaining('application/problem+json')]);
    }
    // Another tenant's message, through this tenant's path or key: not found, as if it did not exist.
    expect((await h.rest('DELETE', `/v1/tenants/${tenantId}/messages/${theirs}/content`, { key })).status).toBe(404);
    expect((await h.rest('DELETE', `/v1/tenants/${other.tenantId}/messages/${theirs}/content`, { key })).status).toBe(404);
    await expect(h.grpc('MessageService', 'ExpungeMessageContent', { tenant_id: tenantId, message_id: theirs }, key))
      .rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    expect(await recorded('message.content_expunged.v1', theirs)).toEqual([]);
  });

  it('appends the expunge of a message older than the index keeps (its payload may still be in the read models), under the tenant key', async () => {
    // Built with a plain ulid: the ids' monotonic factory never goes back in time.
    const idAt = (time: number) => `msg_${ulid(time)}`;
    const old = idAt(Date.now() - 20 * 86_400_000);
    const res = await h.rest('DELETE', `/v1/tenants/${tenantId}/messages/${old}/content`, { key });
    expect(res.status).toBe(202);
    expect((await recorded('message.content_expunged.v1', old)).map((r) => r.key)).toEqual([tenantId]);
    // Within the index's 14 days, an id the index does not know is a mistake, not an old message.
    expect((await h.rest('DELETE', `/v1/tenants/${tenantId}/messages/${idAt(Date.now() - 86_400_000)}/content`, { key })).status).toBe(404);
  });
});
