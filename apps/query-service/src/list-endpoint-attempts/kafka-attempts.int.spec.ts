import { EndpointId, MessageId, TenantId, newId } from '@hookline/contracts';
import { TestStack, getJson, positionOf } from '../testing/harness';
import { fixtures } from '../testing/event-fixtures';
import { RunningQueryService } from '../query-service';
import { grpcAttempt } from '../transport/grpc-views';

/** Attempts at an endpoint whose URL is a Kafka topic: no HTTP response, and where the acknowledged record went. */
describe('attempts at a Kafka destination (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  const tenant = newId('tenant') as TenantId;
  const endpoint = newId('endpoint') as EndpointId;
  const message = newId('message') as MessageId;
  const key = 'hk_kafka_attempts_tenant_key';
  const written = { topic: 'orders', partition: 1, offset: '9007199254740993' };

  beforeAll(async () => {
    stack = await TestStack.create('kafkaatm');
    ({ service, baseUrl } = await stack.startService());
    const t = Date.now() - 60_000;
    const appended = await stack.publish([
      fixtures.tenantCreated(tenant), fixtures.apiKeyCreated(tenant, key), fixtures.endpointCreated(tenant, endpoint),
      fixtures.messagePublished(tenant, { messageId: message }),
      fixtures.attempted(tenant, message, endpoint, 1, 'retrying', { at: new Date(t), noAnswer: 'broker_refused' }),
      fixtures.attempted(tenant, message, endpoint, 2, 'succeeded', { at: new Date(t + 1000), kafkaRecord: written }),
    ]);
    expect((await getJson(baseUrl, `/v1/endpoints/${endpoint}/attempts?position=${positionOf(appended)}`, key)).status).toBe(200);
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  it('shows where the record went (the offset as text, all 64 bits), no HTTP response, and null for other attempts', async () => {
    const res = await getJson(baseUrl, `/v1/endpoints/${endpoint}/attempts`, key);
    expect(res.body.data.map((a: Record<string, unknown>) => [a.attempt, a.succeeded, a.response, a.kafka_record, (a.error as { class?: string } | null)?.class ?? null]))
      .toEqual([[2, true, null, written, null], [1, false, null, null, 'broker_refused']]);
    expect(grpcAttempt(res.body.data[0])).toMatchObject({ kafka_record: written });
    expect(grpcAttempt(res.body.data[1]).kafka_record).toBeUndefined();
  });

  it('filters by the broker_refused class, and counts an acknowledged record as such in the endpoint health', async () => {
    const refused = await getJson(baseUrl, `/v1/endpoints/${endpoint}/attempts?error_class=broker_refused`, key);
    expect(refused.body.data.map((a: { attempt: number }) => a.attempt)).toEqual([1]);
    const health = await getJson(baseUrl, `/v1/endpoints/${endpoint}/health`, key);
    expect(health.body.status_codes).toEqual({ broker_refused: 1, acknowledged: 1 });
  });
});
