import { EndpointId, MessageId, TenantId, newId } from '@hookline/contracts';
import { TestStack, getJson, positionOf } from '../testing/harness';
import { fixtures } from '../testing/event-fixtures';
import { queryGrpcClient } from '../testing/grpc-client';
import { RunningQueryService } from '../query-service';

/**
 * Attempts at endpoints whose URL is a Kafka topic or an AMQP exchange: no HTTP response, and where the acknowledged
 * record or the confirmed message went.
 */
describe('attempts at Kafka and AMQP destinations (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  let grpcAddress: string;
  const tenant = newId('tenant') as TenantId;
  const kafkaEndpoint = newId('endpoint') as EndpointId;
  const amqpEndpoint = newId('endpoint') as EndpointId;
  const message = newId('message') as MessageId;
  const key = 'hk_broker_attempts_tenant_key';
  const written = { topic: 'orders', partition: 1, offset: '9007199254740993' };
  const published = { exchange: 'webhooks', routing_key: 'invoice.paid' };
  /** attempt, succeeded, response, kafka_record, amqp_publish and error class of an endpoint's attempts, newest first. */
  const attemptsOf = async (endpoint: EndpointId) => {
    const res = await getJson(baseUrl, `/v1/endpoints/${endpoint}/attempts`, key);
    return res.body.data.map((a: Record<string, unknown>) =>
      [a.attempt, a.succeeded, a.response, a.kafka_record, a.amqp_publish, (a.error as { class?: string } | null)?.class ?? null]);
  };
  /** kafka_record and amqp_publish of an endpoint's attempts over gRPC, newest first (an unset message field: null). */
  const grpcAttemptsOf = async (endpoint: EndpointId) => {
    const { client, call } = queryGrpcClient(grpcAddress, 'EndpointsService', key);
    try {
      const page = await call('ListEndpointAttempts', { endpoint_id: endpoint });
      return page.data.map((a: Record<string, unknown>) => [a.attempt, a.kafka_record, a.amqp_publish]);
    } finally {
      client.close();
    }
  };

  beforeAll(async () => {
    stack = await TestStack.create('brokeratm');
    const started = await stack.startService();
    ({ service, baseUrl } = started);
    grpcAddress = `127.0.0.1:${started.config.GRPC_PORT}`;
    const t = Date.now() - 60_000;
    const appended = await stack.publish([
      fixtures.tenantCreated(tenant), fixtures.apiKeyCreated(tenant, key),
      fixtures.endpointCreated(tenant, kafkaEndpoint), fixtures.endpointCreated(tenant, amqpEndpoint),
      fixtures.messagePublished(tenant, { messageId: message }),
      fixtures.attempted(tenant, message, kafkaEndpoint, 1, 'retrying', { at: new Date(t), noAnswer: 'broker_refused' }),
      fixtures.attempted(tenant, message, kafkaEndpoint, 2, 'succeeded', { at: new Date(t + 1000), kafkaRecord: written }),
      fixtures.attempted(tenant, message, amqpEndpoint, 1, 'retrying', { at: new Date(t), noAnswer: 'unroutable' }),
      fixtures.attempted(tenant, message, amqpEndpoint, 2, 'succeeded', { at: new Date(t + 1000), amqpPublish: published }),
    ]);
    expect((await getJson(baseUrl, `/v1/endpoints/${amqpEndpoint}/attempts?position=${positionOf(appended)}`, key)).status).toBe(200);
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  it('shows where a Kafka record went (the offset as text, all 64 bits), no HTTP response, and null for other attempts, over REST and gRPC', async () => {
    expect(await attemptsOf(kafkaEndpoint)).toEqual([[2, true, null, written, null, null], [1, false, null, null, null, 'broker_refused']]);
    expect(await grpcAttemptsOf(kafkaEndpoint)).toEqual([[2, written, null], [1, null, null]]);
  });

  it('shows the exchange and routing key an AMQP message went with, no HTTP response, and null for other attempts, over REST and gRPC', async () => {
    expect(await attemptsOf(amqpEndpoint)).toEqual([[2, true, null, null, published, null], [1, false, null, null, null, 'unroutable']]);
    expect(await grpcAttemptsOf(amqpEndpoint)).toEqual([[2, null, published], [1, null, null]]);
  });

  it('filters by the broker error classes, and counts an acknowledged record or a confirmed message as such in the endpoint health', async () => {
    const refused = await getJson(baseUrl, `/v1/endpoints/${kafkaEndpoint}/attempts?error_class=broker_refused`, key);
    expect(refused.body.data.map((a: { attempt: number }) => a.attempt)).toEqual([1]);
    const health = await getJson(baseUrl, `/v1/endpoints/${kafkaEndpoint}/health`, key);
    expect(health.body.status_codes).toEqual({ broker_refused: 1, acknowledged: 1 });
    const amqpHealth = await getJson(baseUrl, `/v1/endpoints/${amqpEndpoint}/health`, key);
    expect(amqpHealth.body.status_codes).toEqual({ unroutable: 1, acknowledged: 1 });
  });
});
