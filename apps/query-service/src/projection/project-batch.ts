import { ReadModels } from '../database/read-models';
import { applyEvents } from './apply-events';
import { ProjectedRecord, RawRecord, decodeRecord } from './projected-record';

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

/**
 * Projects one Kafka batch (one topic-partition) with exactly-once effect: in ONE transaction it reads the stored
 * offset (row-locked), drops records already applied, applies the rest as multi-row upserts and stores the new
 * offset. A crash anywhere rolls all of it back; a redelivered batch is filtered against the stored offset, and the
 * upserts are themselves idempotent as a second line of defence.
 */
export async function projectBatch(models: ReadModels, batch: BatchInput, options: ProjectOptions): Promise<BatchOutcome> {
  return models.write(options.generation, async (em, generation) => {
    const rows: Array<{ offset: string }> = await em.query(
      'SELECT "offset" FROM projection_offsets WHERE consumer = $1 AND topic = $2 AND partition = $3 FOR UPDATE',
      [options.consumer, batch.topic, batch.partition]);
    const stored = rows.length ? BigInt(rows[0].offset) : null;
    const outcome: BatchOutcome = { applied: 0, skipped: 0, undecodable: [], storedOffset: stored?.toString() ?? null, seekTo: null, generation };
    const pending = batch.records.filter((r) => stored === null || BigInt(r.offset) > stored);
    outcome.skipped = batch.records.length - pending.length;
    if (!pending.length) return outcome;
    // Nothing stored yet means "expect offset 0": a consumer group that committed further (a dropped database, a new
    // generation) must not make the projection start in the middle of the log.
    const expected = (stored ?? -1n) + 1n;
    if (BigInt(pending[0].offset) > expected && !options.acceptGap) {
      outcome.seekTo = expected.toString();
      return outcome;
    }
    const decoded: ProjectedRecord[] = [];
    for (const raw of pending) {
      const result = decodeRecord(batch.topic, batch.partition, raw);
      if (result.ok) decoded.push(result.record);
      else outcome.undecodable.push({ offset: result.offset, reason: result.reason });
    }
    await applyEvents(em, decoded);
    const last = pending[pending.length - 1].offset;
    await em.query(
      `INSERT INTO projection_offsets (consumer, topic, partition, "offset") VALUES ($1, $2, $3, $4)
       ON CONFLICT (consumer, topic, partition) DO UPDATE SET "offset" = EXCLUDED."offset"`,
      [options.consumer, batch.topic, batch.partition, last]);
    outcome.applied = pending.length;
    outcome.storedOffset = last;
    return outcome;
  });
}
