import { Kafka } from 'kafkajs';
import type { Logger } from '@hookline/observability';
import { CONTROL_SCHEMA, generationSchema } from '../database/control/generation-schema';
import { ReadModels } from '../database/read-models';
import { ProjectorConsumer } from '../projection/projector-consumer';

export interface ReplayOptions {
  kafka: Kafka;
  models: ReadModels;
  topics: string[];
  /** The name offsets are stored under (the live projector's, so the new generation continues seamlessly). */
  consumerName: string;
  groupIdPrefix: string;
  log: Logger;
  /** Longest the switch may hold live projection batches back while the new generation closes the last gap. */
  switchTimeoutMs?: number;
  /**
   * Projector consumers in the throwaway group, sharing the partitions (default DEFAULT_REPLAY_CONSUMERS). One consumer
   * alternates between building a transaction and waiting for Postgres to run it; two overlap the two.
   */
  consumers?: number;
}

export interface ReplayResult {
  previous: number;
  generation: number;
  durationMs: number;
}

/** Projector consumers of a rebuild unless told otherwise (a million-event bench log: 39 s with 1, 30 s with 2, 34 s with 3). */
export const DEFAULT_REPLAY_CONSUMERS = 2;

type Offsets = Map<string, bigint>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const key = (topic: string, partition: number) => `${topic}:${partition}`;

async function storedOffsets(models: ReadModels, generation: number, consumer: string): Promise<Offsets> {
  const rows: Array<{ topic: string; partition: number; offset: string }> = await models.dataSource.query(
    `SELECT topic, partition, "offset" FROM ${generationSchema(generation)}.projection_offsets WHERE consumer = $1`, [consumer]);
  return new Map(rows.map((r) => [key(r.topic, r.partition), BigInt(r.offset)]));
}

/** The last existing offset of every non-empty partition: where "caught up with the log as of now" is. */
async function lastOffsets(kafka: Kafka, topics: string[]): Promise<Offsets> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const out: Offsets = new Map();
    for (const topic of topics) {
      for (const w of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(w.high) > BigInt(w.low)) out.set(key(topic, w.partition), BigInt(w.high) - 1n);
      }
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

function reached(have: Offsets, want: Offsets): boolean {
  for (const [k, offset] of want) if ((have.get(k) ?? -1n) < offset) return false;
  return true;
}

async function waitUntilReached(models: ReadModels, generation: number, consumer: string, want: Offsets, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    if (reached(await storedOffsets(models, generation, consumer), want)) return true;
    await sleep(100);
  }
  return false;
}

/**
 * Rebuilds every read model from offset 0 into a fresh generation and switches queries and the live projector to it,
 * while the running service keeps answering from the current generation:
 *
 * 1. create schema query_g<N+1> (migrated, empty) and project every topic into it from offset 0 with a throwaway group;
 * 2. once it has reached the log's end as of the start, lock `query.active_generation` FOR UPDATE — live batches hold it
 *    FOR SHARE, so they pause between transactions — read the live generation's offsets (now frozen), let the new
 *    generation reach them too, flip the pointer and commit. The live projector's next transaction writes the new
 *    generation; its stored offsets are ≥ the live ones, so records already projected there are filtered, none missed;
 * 3. drop generations older than the previous one (kept one round so queries in flight on it finish), and leftovers of
 *    rebuilds that died half way (a rebuild is restartable: it always starts a new generation).
 */
export async function rebuildReadModels(options: ReplayOptions): Promise<ReplayResult> {
  // One rebuild at a time: a second one would pick the same generation number and drop the first one's schema.
  const lock = options.models.dataSource.createQueryRunner();
  await lock.connect();
  try {
    const [{ locked }] = (await lock.query(`SELECT pg_try_advisory_lock(hashtext('hookline-query-rebuild')) AS locked`)) as Array<{ locked: boolean }>;
    if (!locked) throw new Error('another read-model rebuild is running against this database; wait for it to finish');
    try {
      return await rebuild(options);
    } finally {
      await lock.query(`SELECT pg_advisory_unlock(hashtext('hookline-query-rebuild'))`).catch(() => undefined);
    }
  } finally {
    await lock.release();
  }
}

async function rebuild(options: ReplayOptions): Promise<ReplayResult> {
  const { models, log } = options;
  const started = Date.now();
  const previous = await models.activeGeneration();
  const [{ max }] = (await models.dataSource.query(`SELECT max(generation) AS max FROM ${CONTROL_SCHEMA}.generations`)) as Array<{ max: number }>;
  const generation = max + 1;
  await models.prepareGeneration(generation, true);
  await models.dataSource.query(`INSERT INTO ${CONTROL_SCHEMA}.generations (generation, state) VALUES ($1, 'building')`, [generation]);
  const groupId = `${options.groupIdPrefix}-replay-g${generation}-${started}`;
  // Members of one group split the partitions; each row is written from the partitions its events are keyed to, so
  // their transactions seldom wait for each other (and a deadlock is retried, as between query-service instances).
  const projectors = Array.from({ length: Math.max(1, options.consumers ?? DEFAULT_REPLAY_CONSUMERS) }, () =>
    new ProjectorConsumer(options.kafka, models, { groupId, topics: options.topics, consumerName: options.consumerName, generation, log }));
  log.info({ previous, generation, consumers: projectors.length }, 'rebuilding read models from offset 0');
  // Started together, they join the group in one rebalance instead of the first taking every partition and then half.
  await Promise.all(projectors.map((p) => p.start()));
  try {
    for (;;) {
      const target = await lastOffsets(options.kafka, options.topics);
      await waitUntilReached(models, generation, options.consumerName, target, Number.POSITIVE_INFINITY);
      if (await switchOver(options, previous, generation)) break;
      log.warn({ generation }, 'the new generation did not close the gap in time; catching up again before the next switch attempt');
    }
  } finally {
    await Promise.all(projectors.map((p) => p.stop().catch(() => undefined)));
    const admin = options.kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  // The previous generation stays one round (queries in flight may still read it); older ones, and schemas of rebuilds
  // that died half way, go.
  const old: Array<{ generation: number }> = await models.dataSource.query(
    `SELECT generation FROM ${CONTROL_SCHEMA}.generations WHERE generation NOT IN ($1, $2) AND state IN ('retired', 'building')`,
    [previous, generation]);
  for (const g of old) await models.dropGeneration(g.generation);
  const result = { previous, generation, durationMs: Date.now() - started };
  log.info(result, 'read models rebuilt and switched');
  return result;
}

async function switchOver(options: ReplayOptions, previous: number, generation: number): Promise<boolean> {
  const runner = options.models.dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('READ COMMITTED');
    const [row] = (await runner.query(`SELECT generation FROM ${CONTROL_SCHEMA}.active_generation FOR UPDATE`)) as Array<{ generation: number }>;
    if (row.generation !== previous) throw new Error(`another rebuild switched to generation ${row.generation} meanwhile`);
    const live = await storedOffsets(options.models, previous, options.consumerName);
    const deadline = Date.now() + (options.switchTimeoutMs ?? 30_000);
    if (!(await waitUntilReached(options.models, generation, options.consumerName, live, deadline))) {
      await runner.rollbackTransaction();
      return false;
    }
    await runner.query(`UPDATE ${CONTROL_SCHEMA}.active_generation SET generation = $1`, [generation]);
    await runner.query(`UPDATE ${CONTROL_SCHEMA}.generations SET state = 'active', activated_at = now() WHERE generation = $1`, [generation]);
    await runner.query(`UPDATE ${CONTROL_SCHEMA}.generations SET state = 'retired' WHERE generation = $1`, [previous]);
    await runner.commitTransaction();
    return true;
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw err;
  } finally {
    await runner.release();
  }
}
