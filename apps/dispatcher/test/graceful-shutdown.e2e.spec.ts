import { MessageId, newId } from '@hookline/contracts';
import { startReceiver, waitFor } from '@hookline/testing';
import { Client } from 'pg';
import { endpointCreated, record } from './support/config-events';
import { processSuite } from './support/process-suite';

jest.setTimeout(120_000);

describe('graceful SIGTERM (dispatcher process, real Kafka, real Postgres)', () => {
  const suite = processSuite('sigterm', { partitions: 3 });
  const { topics, tenantId, receivers, prefix, kafka } = suite;

  it('stops consuming, parks in-flight attempts, commits, exits 0; a restart delivers what was parked', async () => {
    let slowMode = true;
    const slow = await startReceiver((_req, res) => void setTimeout(() => res.writeHead(200).end(), slowMode ? 20_000 : 0).unref());
    const fast = await startReceiver();
    receivers.push(slow, fast);
    const epSlow = endpointCreated(slow.url, { event_types: ['slow'] });
    const epFast = endpointCreated(fast.url, { event_types: ['fast'] });
    await suite.producer.appendMany([epSlow, epFast].map((e) => record(topics.config, tenantId, tenantId, e.event)));

    const dispatcher = suite.dispatcher({
      PARK_AFTER_MS: '60000', DELIVERY_TIMEOUT_MS: '30000', SHUTDOWN_TIMEOUT_MS: '6000', KAFKA_SESSION_TIMEOUT_MS: '6000',
      RETRY_POLL_INTERVAL_MS: '100', LOG_LEVEL: 'info', OTEL_SDK_DISABLED: 'true',
    });
    await dispatcher.start();

    const slowIds: MessageId[] = [];
    const messages = [];
    for (let i = 0; i < 15; i++) {
      const id = newId('message') as MessageId;
      const type = i < 5 ? 'slow' : 'fast';
      if (type === 'slow') slowIds.push(id);
      messages.push(record(topics.messages, `k-${i % 3}`, tenantId, {
        type: 'message.published.v1',
        data: { message_id: id, event_type: type, event_type_version: null, payload: { i }, channels: [], idempotency_key: null, ordering_key: null },
      }));
    }
    await suite.producer.appendMany(messages);
    await slow.waitForRequests(5);
    await fast.waitForRequests(10);

    const started = Date.now();
    expect(await dispatcher.terminate()).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);

    // Every offset was committed: the running attempts were parked first.
    const admin = kafka.admin();
    await admin.connect();
    const [offsets] = await admin.fetchOffsets({ groupId: `${prefix}dispatcher`, topics: [topics.messages] });
    await admin.disconnect();
    expect(offsets.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)).toBe(15);
    const pg = new Client({ connectionString: suite.db.url });
    await pg.connect();
    const { rows } = await pg.query(`SELECT message_id, state, lease_owner FROM dispatcher.parked_deliveries ORDER BY message_id`);
    await pg.end();
    expect(rows.map((r) => r.message_id).sort()).toEqual([...slowIds].sort());
    // Parked while running, then either handed back at exit or settled by the aborted attempt: never left leased.
    expect(rows.every((r) => r.state === 'scheduled' && r.lease_owner === null)).toBe(true);

    // The next instance takes the parked deliveries at once (their leases were handed back).
    slowMode = false;
    await dispatcher.start();
    await waitFor(() => new Set(slow.requests.slice(5).map((q) => q.headers['webhook-id'])).size === 5, 30_000, 'parked deliveries retried');
    expect(fast.requests).toHaveLength(10);
    expect(await dispatcher.terminate()).toBe(0);
  });
});
