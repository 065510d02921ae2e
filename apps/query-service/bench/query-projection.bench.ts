/**
 * Projection throughput vs the floor: `node -r @swc-node/register apps/query-service/bench/query-projection.bench.ts [messages]`.
 *
 *  1. projector: projectBatch (decode, offset check, guarded multi-row upserts, health counters, offsets — one transaction
 *     per 500-record batch, as the consumer runs it), sequentially, straight from encoded records (no Kafka);
 *  2. raw: the same rows (messages, attempts, deliveries, dead letters) as plain multi-row INSERTs, one transaction per
 *     batch — what a projection costs with no idempotence at all: into bare copies of the tables (the floor), and into
 *     copies with the read models' indexes (non-unique);
 *  3. end to end: the same events on real Kafka topics, consumed by the live ProjectorConsumer until caught up.
 * Prints events/s of each and the ratios projector / raw.
 */
import { Client } from 'pg';
import { Envelope, encodeEvent, topicSpecs } from '@hookline/contracts';
import { BatchingProducer, createKafka, deleteTopics, ensureTopics } from '@hookline/kafka';
import { createLogger } from '@hookline/observability';
import { chunkRows, multiRowValues } from '@hookline/service-kit';
import { createTestDatabase, testBrokers, testTopicPrefix } from '@hookline/testing';
import { ReadModels } from '../src/database/read-models';
import { ProjectionLag } from '../src/lag/projection-lag';
import { projectBatch } from '../src/projection/project-batch';
import { ProjectorConsumer } from '../src/projection/projector-consumer';
import { topicOf } from '../src/testing/harness';
import { keyOf } from '../src/testing/event-fixtures';
import { workload } from '../src/testing/workload';

const BATCH = 500;
const messagesTotal = Number(process.argv[2] ?? 20_000);

function rawRows(e: Envelope): Array<[string, unknown[]]> {
  // The bench reads fields of several event shapes at once; a union narrowing per case would only add noise here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const d = e.data as Record<string, any>;
  switch (e.type) {
    case 'message.published.v1':
      return [['messages', [d.message_id, e.tenant_id, d.event_type, d.event_type_version, JSON.stringify(d.payload), null, d.channels, null, null,
        e.occurred_at, null, 'messages', 0, 0]]];
    case 'delivery.attempted.v1':
      return [['attempts', [d.attempt_id, e.tenant_id, d.delivery_id, d.message_id, d.endpoint_id, d.event_type, d.attempt, d.trigger, d.url,
        JSON.stringify(d.request_headers), d.response?.status ?? null, JSON.stringify(d.response?.headers ?? null), d.response?.body ?? null,
        d.response?.body_truncated ?? false, d.latency_ms, d.error?.class ?? null, d.error?.message ?? null, d.succeeded, d.status,
        d.next_attempt_at, null, d.started_at, e.occurred_at]],
      ['deliveries', [d.delivery_id, e.tenant_id, d.message_id, d.endpoint_id, d.event_type, d.status, d.attempt, d.next_attempt_at,
        d.response?.status ?? null, null, d.attempt, d.message_published_at, e.occurred_at, e.occurred_at, d.attempt, 1]]];
    case 'delivery.parked.v1':
      return [['deliveries', [d.delivery_id, e.tenant_id, d.message_id, d.endpoint_id, d.event_type, 'pending', 0, d.next_attempt_at, null, null, 0,
        d.message_published_at, e.occurred_at, e.occurred_at, 0, 0]]];
    case 'delivery.dead_lettered.v1':
      return [['deliveries', [d.delivery_id, e.tenant_id, d.message_id, d.endpoint_id, d.event_type, 'dead_lettered', d.attempts, null, null,
        d.last_error, 0, d.message_published_at, e.occurred_at, e.occurred_at, d.attempts, 2]],
      ['dead_letters', [d.delivery_id, e.tenant_id, d.message_id, d.endpoint_id, d.event_type, d.attempts, d.last_error, JSON.stringify(d.payload),
        d.channels, d.message_published_at, e.occurred_at]]];
    default:
      return [];
  }
}

async function rawInsert(url: string, batches: Envelope[][], withIndexes: boolean): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const schema = withIndexes ? 'raw_indexed' : 'raw';
  await client.query(`CREATE SCHEMA ${schema}`);
  for (const t of ['messages', 'attempts', 'deliveries', 'dead_letters']) {
    await client.query(`CREATE TABLE ${schema}.${t} (LIKE query_g1.${t} INCLUDING DEFAULTS)`);
    if (!withIndexes) continue;
    // The read model's indexes, non-unique (a plain INSERT of every event's row has no upsert to collapse duplicates).
    const { rows } = await client.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'query_g1' AND tablename = $1`, [t]);
    for (const { indexdef } of rows as Array<{ indexdef: string }>) {
      await client.query(indexdef.replace('CREATE UNIQUE INDEX', 'CREATE INDEX').replace(/INDEX (\S+) ON query_g1\./, `INDEX $1 ON ${schema}.`));
    }
  }
  const started = process.hrtime.bigint();
  for (const batch of batches) {
    const byTable = new Map<string, unknown[][]>();
    for (const e of batch) {
      for (const [table, row] of rawRows(e)) {
        if (!byTable.has(table)) byTable.set(table, []);
        byTable.get(table)!.push(row);
      }
    }
    await client.query('BEGIN');
    for (const [table, rows] of byTable) {
      for (const chunk of chunkRows(rows, rows[0].length)) {
        const { sql, params } = multiRowValues(chunk);
        await client.query(`INSERT INTO ${schema}.${table} VALUES ${sql}`, params);
      }
    }
    await client.query('COMMIT');
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await client.end();
  return ms;
}

async function main(): Promise<void> {
  const load = workload(10, Math.ceil(messagesTotal / 10));
  // Batches as a consumer sees them: per topic, in order, BATCH records each.
  const byTopic = new Map<string, Envelope[]>();
  for (const e of load.events) {
    const topic = topicOf(e, '');
    if (!byTopic.has(topic)) byTopic.set(topic, []);
    byTopic.get(topic)!.push(e);
  }
  const batches: Array<{ topic: string; events: Envelope[] }> = [];
  for (const [topic, events] of byTopic) for (let i = 0; i < events.length; i += BATCH) batches.push({ topic, events: events.slice(i, i + BATCH) });
  const total = load.events.length;

  // Whatever happens, the throwaway databases and topics go (in reverse order of creation).
  const cleanup: Array<() => Promise<unknown>> = [];
  try {
    await run(load.events, batches, total, cleanup);
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  }
}

async function run(events: Envelope[], batches: Array<{ topic: string; events: Envelope[] }>, total: number,
  cleanup: Array<() => Promise<unknown>>): Promise<void> {
  const load = { events, messages: events.filter((e) => e.type === 'message.published.v1').length,
    attempts: events.filter((e) => e.type === 'delivery.attempted.v1').length };
  const db = await createTestDatabase('bench');
  cleanup.push(() => db.drop());
  const models = await ReadModels.open({ url: db.url, poolSize: 8 });
  cleanup.push(() => models.close());
  const offsets = new Map<string, number>();
  const started = process.hrtime.bigint();
  for (const b of batches) {
    const base = offsets.get(b.topic) ?? 0;
    await projectBatch(models, { topic: b.topic, partition: 0, records: b.events.map((e, i) => ({ offset: String(base + i), value: encodeEvent(e) })) },
      { consumer: 'projector', generation: 'active' });
    offsets.set(b.topic, base + b.events.length);
  }
  const projectorMs = Number(process.hrtime.bigint() - started) / 1e6;
  const rawMs = await rawInsert(db.url, batches.map((b) => b.events), false);
  const rawIndexedMs = await rawInsert(db.url, batches.map((b) => b.events), true);

  // End to end through Kafka with the live consumer (the batches of the partitions in flight share one transaction).
  const prefix = testTopicPrefix('bench');
  const kafka = createKafka({ brokers: testBrokers(), clientId: 'bench', topicPrefix: prefix });
  const topics = topicSpecs({ prefix }).map((s) => s.name);
  cleanup.push(() => deleteTopics(kafka, topics));
  await ensureTopics(kafka, topicSpecs({ prefix, partitions: 6 }));
  const producer = new BatchingProducer(kafka, { maxBatch: 2000 });
  await producer.connect();
  await producer.appendMany(load.events.map((e) => ({ topic: topicOf(e, prefix), key: keyOf(e), value: encodeEvent(e) })));
  await producer.disconnect();
  const e2eDb = await createTestDatabase('benche2e');
  cleanup.push(() => e2eDb.drop());
  const e2eModels = await ReadModels.open({ url: e2eDb.url, poolSize: 8 });
  cleanup.push(() => e2eModels.close());
  const lag = new ProjectionLag(kafka, e2eModels, topics, 'projector');
  const consumer = new ProjectorConsumer(kafka, e2eModels, { groupId: `${prefix}bench`, topics, consumerName: 'projector', generation: 'active',
    log: createLogger({ service: 'bench', level: 'error' }) });
  const e2eStart = process.hrtime.bigint();
  await consumer.start();
  while ((await lag.measure()).some((p) => p.lag > 0)) await new Promise((r) => setTimeout(r, 50));
  const e2eMs = Number(process.hrtime.bigint() - e2eStart) / 1e6;
  await consumer.stop();
  await lag.close();

  const rate = (ms: number) => Math.round(total / (ms / 1000));
  process.stdout.write(`${JSON.stringify({
    events: total, messages: load.messages, attempts: load.attempts, batch: BATCH,
    projector_events_per_s: rate(projectorMs), raw_insert_events_per_s: rate(rawMs),
    ratio_projector_vs_raw: Number((rawMs / projectorMs).toFixed(2)),
    raw_insert_same_indexes_events_per_s: rate(rawIndexedMs),
    ratio_projector_vs_raw_same_indexes: Number((rawIndexedMs / projectorMs).toFixed(2)),
    end_to_end_kafka_events_per_s: rate(e2eMs),
  }, null, 2)}\n`);
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
