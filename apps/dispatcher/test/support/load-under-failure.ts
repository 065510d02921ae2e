import { EndpointSettingsV1, MessageId, messageKey, newId } from '@hookline/contracts';
import { OutgoingEvent } from '@hookline/kafka';
import { TestReceiver, startReceiver } from '@hookline/testing';
import { endpointCreated, record } from './config-events';
import { ProcessSuite } from './process-suite';

/** Dispatcher settings for tests that kill dispatcher processes under load: short retries, parks and commits. */
export const KILL_TEST_ENV: Record<string, string> = {
  RETRY_SCHEDULE_SECONDS: '0,0.3,0.5,1,1,1,1,1,1,1', RETRY_JITTER: '0.2', PARK_AFTER_MS: '1000', KAFKA_SESSION_TIMEOUT_MS: '6000',
  RETRY_POLL_INTERVAL_MS: '100', COMMIT_INTERVAL_MS: '100', LOG_LEVEL: 'warn', OTEL_SDK_DISABLED: 'true',
  BREAKER_MIN_VOLUME: '100000', // 10 % failures must not open the breaker here; the breaker has its own test
};

/** A receiver that answers 500 to about 10 % of requests; `ok` holds the webhook-ids it accepted (204). */
export async function flakyReceiver(): Promise<{ receiver: TestReceiver; ok: Set<string> }> {
  const ok = new Set<string>();
  const receiver = await startReceiver((req, res) => {
    if (Math.random() < 0.1) return void res.writeHead(500).end();
    ok.add(req.headers['webhook-id']);
    res.writeHead(204).end();
  });
  return { receiver, ok };
}

/** Creates the suite's tenant and one endpoint per receiver URL (with its settings); returns the created endpoints. */
export async function createEndpoints(suite: ProcessSuite, endpoints: Array<[url: string, settings?: Partial<EndpointSettingsV1>]>) {
  const created = endpoints.map(([url, settings]) => endpointCreated(url, settings));
  const { topics, tenantId } = suite;
  await suite.producer.appendMany([
    record(topics.config, tenantId, tenantId, { type: 'tenant.created.v1', data: { tenant_id: tenantId, name: 'load', retention_days: 7, metadata: {} } }),
    ...created.map((e) => record(topics.config, tenantId, tenantId, e.event)),
  ]);
  return created;
}

/**
 * Messages of one event type, spread over all partitions by ordering keys (so several partitions' commits, or
 * several instances, are in play); `ids` collects every message id made so far.
 */
export function messageBatches(suite: ProcessSuite, eventType: string) {
  const ids: MessageId[] = [];
  const batch = (from: number, to: number): OutgoingEvent[] => Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    const id = newId('message') as MessageId;
    ids.push(id);
    const orderingKey = `order-${i % 24}`;
    return record(suite.topics.messages, messageKey(suite.tenantId, orderingKey), suite.tenantId, {
      type: 'message.published.v1',
      data: { message_id: id, event_type: eventType, event_type_version: null, payload: { i }, channels: [], idempotency_key: null, ordering_key: orderingKey },
    });
  });
  return { ids, batch };
}

/** webhook-ids a receiver got, each once. */
export const uniqueIds = (r: TestReceiver): Set<string> => new Set(r.requests.map((q) => q.headers['webhook-id']));

/** Prints and returns how many of the expected messages a receiver never got (`delivered`: the ids that count as delivered). */
export function reportDeliveries(test: string, name: string, r: TestReceiver, delivered: Set<string>, expected: MessageId[]) {
  const want = new Set<string>(expected);
  const lost = expected.filter((id) => !delivered.has(id)).length;
  const unknown = [...delivered].filter((id) => !want.has(id)).length;
  process.stdout.write(`${test} [${name}]: delivered ${delivered.size}/${expected.length}, requests ${r.requests.length}, ` +
    `duplicates ${r.requests.length - uniqueIds(r).size}, lost ${lost}, unknown ids ${unknown}\n`);
  return { lost, unknown };
}
