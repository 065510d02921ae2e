import { ReadModels } from '../database/read-models';
import { applyEvents } from './apply-events';
import { ProjectedRecord, RawRecord, decodeRecord } from './projected-record';
import { insertRows } from './sql-rows';

export interface BatchInput {
  topic: string;
  partition: number;
  /** In offset order, as Kafka hands them over. */
  records: RawRecord[];
}

export interface BatchOutcome {
  /** Records applied in this transaction. */
  applied: number;
  /** Records at or below the stored offset: already applied, skipped. */
  skipped: number;
  /** Records that were not Hookline events (stored past, and reported). */
  undecodable: Array<{ offset: string; reason: string }>;
  /** The offset now stored for the partition (null: nothing stored yet). */
  storedOffset: string | null;
  /** Set when the batch starts after a gap: the consumer must seek here and fetch again; nothing was applied. */
  seekTo: string | null;
  generation: number;
}

export interface ProjectOptions {
  /** Name the offsets are stored under. */
  consumer: string;
  /** The generation to write; 'active' (the live projector) follows the pointer. */
  generation: number | 'active';
  /** Accept a batch that starts after a gap (already sought there once: the offsets in between do not exist). */
  acceptGap?: boolean;
}

/** One partition's batch and whether it may start after a gap (see ProjectOptions.acceptGap). */
export interface BatchItem {
  batch: BatchInput;
  acceptGap?: boolean;
}

/**
 * Projects one Kafka batch (one topic-partition) with exactly-once effect; see projectBatches, which it is the
 * one-batch case of.
 */
export async function projectBatch(models: ReadModels, batch: BatchInput, options: ProjectOptions): Promise<BatchOutcome> {
  const [outcome] = await projectBatches(models, [{ batch, acceptGap: options.acceptGap }], options);
  return outcome;
}

const partitionKey = (p: { topic: string; partition: number }): string => `${p.topic}\u0000${p.partition}`;

/**
 * Projects batches of distinct topic-partitions with exactly-once effect, all in ONE transaction: it reads their stored
 * offsets (row-locked, in a fixed order so two writers cannot deadlock), drops records already applied, applies the
 * rest of every batch together as multi-row upserts and stores the new offsets. A crash anywhere rolls all of it back;
 * a redelivered batch is filtered against the stored offset, and the upserts are themselves idempotent as a second
 * line of defence. A batch that starts after a gap is left out (its outcome asks for a seek); the others still apply.
 * One transaction for a whole fetch instead of one per partition: each costs Postgres a commit (a WAL flush) and the
 * projector a round trip per statement.
 */
export async function projectBatches(models: ReadModels, items: BatchItem[], options: Omit<ProjectOptions, 'acceptGap'>): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = new Array(items.length);
  // Two batches of one partition (not expected from one consumer, but cheap to allow) go in successive transactions, in order.
  let rest = items.map((item, index) => ({ item, index }));
  while (rest.length) {
    const seen = new Set<string>();
    const round: typeof rest = [];
    const later: typeof rest = [];
    for (const entry of rest) {
      const key = partitionKey(entry.item.batch);
      (seen.has(key) ? later : round).push(entry);
      seen.add(key);
    }
    const results = await projectTogether(models, round.map((e) => e.item), options);
    round.forEach((e, i) => (outcomes[e.index] = results[i]));
    rest = later;
  }
  return outcomes;
}

/** projectBatches for batches of distinct topic-partitions: one transaction. */
function projectTogether(models: ReadModels, items: BatchItem[], options: Omit<ProjectOptions, 'acceptGap'>): Promise<BatchOutcome[]> {
  return models.write(options.generation, async (em, generation) => {
    const rows: Array<{ topic: string; partition: number; offset: string }> = await em.query(
      `SELECT topic, partition, "offset" FROM projection_offsets
       WHERE consumer = $1 AND (topic, partition) IN (SELECT * FROM unnest($2::text[], $3::int[]))
       ORDER BY topic, partition FOR UPDATE`,
      [options.consumer, items.map((i) => i.batch.topic), items.map((i) => i.batch.partition)]);
    const storedOf = new Map(rows.map((r) => [partitionKey(r), BigInt(r.offset)] as const));
    const decoded: ProjectedRecord[] = [];
    const stores: Array<[string, number, string]> = [];
    const outcomes = items.map(({ batch, acceptGap }): BatchOutcome => {
      const stored = storedOf.get(partitionKey(batch)) ?? null;
      const outcome: BatchOutcome = { applied: 0, skipped: 0, undecodable: [], storedOffset: stored?.toString() ?? null, seekTo: null, generation };
      const pending = batch.records.filter((r) => stored === null || BigInt(r.offset) > stored);
      outcome.skipped = batch.records.length - pending.length;
      if (!pending.length) return outcome;
      // Nothing stored yet means "expect offset 0": a consumer group that committed further (a dropped database, a new
      // generation) must not make the projection start in the middle of the log.
      const expected = (stored ?? -1n) + 1n;
      if (BigInt(pending[0].offset) > expected && !acceptGap) {
        outcome.seekTo = expected.toString();
        return outcome;
      }
      for (const raw of pending) {
        const result = decodeRecord(batch.topic, batch.partition, raw);
        if (result.ok) decoded.push(result.record);
        else outcome.undecodable.push({ offset: result.offset, reason: result.reason });
      }
      const last = pending[pending.length - 1].offset;
      stores.push([batch.topic, batch.partition, last]);
      outcome.applied = pending.length;
      outcome.storedOffset = last;
      return outcome;
    });
    if (!stores.length) return outcomes;
    // Records keep their order within a partition, and one entity's events share a partition (each topic's key), so
    // applying several partitions together orders every entity's events as applying them one by one would.
    await applyEvents(em, decoded);
    await insertRows(em, 'projection_offsets (consumer text, topic text, partition int, "offset" bigint)',
      stores.map(([topic, partition, offset]) => [options.consumer, topic, partition, offset]),
      'ON CONFLICT (consumer, topic, partition) DO UPDATE SET "offset" = EXCLUDED."offset"');
    return outcomes;
  });
}
