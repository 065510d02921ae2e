import { status as GrpcStatus } from '@grpc/grpc-js';
import { Admin, ConfigResourceTypes } from 'kafkajs';
import { CommandServiceHarness, GrpcError, Json, RestAnswer, startCommandServiceHarness } from './test/command-service.harness';

jest.setTimeout(60_000);

/**
 * The broker refusing a command's events outright (here: records over the topic's max.message.bytes, as a broker
 * configured tighter than MAX_PAYLOAD_BYTES does) must reach the client as "try again", the same for publish, resend
 * and recover, and a keyed retry after the broker takes records again must append the event once, under the id the
 * first attempt gave it.
 */
describe('commands whose events Kafka refuses (real Kafka, real Postgres)', () => {
  let h: CommandServiceHarness;
  let admin: Admin;
  let tenantId: string;
  let key: string;
  let endpointId: string;
  let messageId: string;

  beforeAll(async () => {
    h = await startCommandServiceHarness('kafka-refusal');
    admin = h.kafka.admin();
    await admin.connect();
    ({ tenantId, key } = await h.tenantWithKey('refused', ['invoice.paid']));
    endpointId = (await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { key, body: { url: 'http://127.0.0.1:9/hooks', event_types: ['invoice.paid'] } })).body.id;
    const published = await publish({ n: 1 });
    expect(published.status).toBe(202);
    messageId = published.body.id;
    await h.followerCaughtUp();
  });
  afterAll(async () => {
    await admin?.disconnect();
    await h?.close();
  });

  const publish = (payload: Json, headers: Record<string, string> = {}) =>
    h.rest('POST', `/v1/tenants/${tenantId}/messages`, { key, body: { event_type: 'invoice.paid', payload }, headers });
  const resend = (headers: Record<string, string> = {}) =>
    h.rest('POST', `/v1/tenants/${tenantId}/messages/${messageId}/resend`, { key, body: { endpoint_id: endpointId }, headers });
  const recover = () => h.rest('POST', `/v1/tenants/${tenantId}/endpoints/${endpointId}/recover`, { key, body: { since: new Date(Date.now() - 3600_000).toISOString() } });

  /** Sets the messages topic's record limit and waits until the broker reports it. */
  async function limitRecords(maxMessageBytes: number): Promise<void> {
    const name = h.topics.messages;
    // alterConfigs replaces the topic's dynamic configs, so the test topics' retention is set again with it.
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name, configEntries: [
        { name: 'max.message.bytes', value: String(maxMessageBytes) }, { name: 'retention.ms', value: String(3600_000) },
      ] }],
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name, configNames: ['max.message.bytes'] }] });
      if (resources[0].configEntries[0]?.configValue === String(maxMessageBytes)) return;
      if (Date.now() > deadline) throw new Error(`max.message.bytes of ${name} not ${maxMessageBytes} after 10 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  function expectRetryLater(r: RestAnswer): void {
    expect({ status: r.status, type: r.body?.type, retryAfter: r.headers.get('retry-after'), contentType: r.contentType }).toEqual({
      status: 503, type: 'https://hookline.dev/problems/unavailable', retryAfter: '1', contentType: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(r.body.detail).toMatch(/could not be appended to the log/);
  }

  it('answers publish, resend and recover with 503 and Retry-After (gRPC UNAVAILABLE), and a keyed retry appends the message once under its first id', async () => {
    await limitRecords(100);
    try {
      expectRetryLater(await publish({ n: 2 }));
      expectRetryLater(await publish({ n: 3 }, { 'idempotency-key': 'refused-1' }));
      expectRetryLater(await resend());
      expectRetryLater(await recover());
      const grpcResend = await h.grpc('MessageService', 'ResendMessage', { tenant_id: tenantId, message_id: messageId, endpoint_id: endpointId }, key)
        .then(() => null, (err: GrpcError) => err);
      expect(grpcResend?.code).toBe(GrpcStatus.UNAVAILABLE);
    } finally {
      await limitRecords(1_048_588);
    }

    const retried = await publish({ n: 3 }, { 'idempotency-key': 'refused-1' });
    expect(retried.status).toBe(202);
    const again = await publish({ n: 3 }, { 'idempotency-key': 'refused-1' });
    expect(again.body).toEqual(retried.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const keyed = (await h.events('messages')).filter((r) => r.event.type === 'message.published.v1' && (r.event.data as Json).idempotency_key === 'refused-1');
    expect(keyed.map((r) => (r.event.data as Json).message_id)).toEqual([retried.body.id]);
    // Nothing refused reached the log; the resend goes through once Kafka takes records again.
    expect((await h.events('messages')).filter((r) => r.event.type === 'message.resend_requested.v1' || r.event.type === 'endpoint.recovery_requested.v1')).toEqual([]);
    expect((await resend()).status).toBe(202);
  });
});
