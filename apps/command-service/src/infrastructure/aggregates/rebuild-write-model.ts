import { randomUUID } from 'node:crypto';
import { ConfigEvent, EventOf, decodeEvent, topicNames } from '@hookline/contracts';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { NO_TENANT, kindOfEvent } from './aggregate-kinds';

interface Folded {
  kind: string;
  tenantId: string;
  aggregateId: string;
  state: { version: number };
}

/**
 * Rebuilds the write model from the config topic, the source of truth: reads it from the start to the high
 * watermarks seen when called, folds every event with the aggregates' own evolve functions, and replaces the
 * `aggregates` table in one transaction. Returns how many aggregates were rebuilt.
 */
export async function rebuildWriteModel(kafka: Kafka, ds: DataSource, topicPrefix: string): Promise<number> {
  const topic = topicNames(topicPrefix).config;
  const ends = await highWatermarks(kafka, topic);
  const remaining = new Map(ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));

  const folded = new Map<string, Folded>();
  const seen = new Set<string>();
  if (remaining.size > 0) {
    // Prefixed like every other group of this deployment, so per-run prefixes (tests) can find and remove it.
    const consumer = kafka.consumer({ groupId: `${topicPrefix}hookline-command-rebuild-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) {
              const end = remaining.get(batch.partition);
              if (end === undefined || BigInt(m.offset) >= end) continue;
              apply(folded, seen, decodeEvent(m.value) as EventOf<ConfigEvent>);
              if (BigInt(m.offset) + 1n >= end) remaining.delete(batch.partition);
            }
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
  }

  await ds.transaction(async (tx) => {
    await tx.query(`DELETE FROM aggregates`);
    for (const a of folded.values()) {
      await tx.query(`INSERT INTO aggregates (kind, tenant_id, aggregate_id, version, state) VALUES ($1, $2, $3, $4, $5)`, [
        a.kind,
        a.tenantId,
        a.aggregateId,
        a.state.version,
        JSON.stringify(a.state),
      ]);
    }
  });
  return folded.size;
}

// A topic created a moment ago (first start of a deployment, or a test) may not have its leaders known to every
// broker yet: Kafka answers NOT_LEADER_FOR_PARTITION, which kafkajs' admin does not retry. It settles within seconds.
const LEADER_WAIT_MS = 15_000;

async function highWatermarks(kafka: Kafka, topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + LEADER_WAIT_MS;
    for (;;) {
      try {
        return await admin.fetchTopicOffsets(topic);
      } catch (err) {
        if (!(err as { retriable?: boolean }).retriable || Date.now() > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, 200));
        await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
      }
    }
  } finally {
    await admin.disconnect();
  }
}

function apply(folded: Map<string, Folded>, seen: Set<string>, event: EventOf<ConfigEvent>): void {
  if (seen.has(event.id)) return; // the outbox relay may have sent an event twice after a crash
  seen.add(event.id);
  const kind = kindOfEvent(event);
  const tenantId = event.tenant_id || NO_TENANT;
  const aggregateId = event.aggregate_id ?? '';
  const key = `${kind.kind}\u0000${tenantId}\u0000${aggregateId}`;
  const current = folded.get(key)?.state ?? (kind.initial() as { version: number });
  folded.set(key, { kind: kind.kind, tenantId, aggregateId, state: kind.evolve(current, event) as { version: number } });
}
