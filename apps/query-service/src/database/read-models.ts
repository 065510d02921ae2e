import { DataSource, EntityManager } from 'typeorm';
import { dataSourceOptions, ensureDatabase, guardPoolClients, openDatabase } from '@hookline/service-kit';
import { CreateGenerations1000000000001 } from './control/0001-create-generations';
import { CONTROL_SCHEMA, SET_ACTIVE_SEARCH_PATH_SQL, generationSchema } from './control/generation-schema';
import { READ_MODEL_ENTITIES } from './read-model/entities';
import { CreateReadModels1000000000001 } from './read-model/migrations/0001-create-read-models';
import { IndexMessageChannels1000000000002 } from './read-model/migrations/0002-index-message-channels';
import { UnwrapMetadata1000000000003 } from './read-model/migrations/0003-unwrap-metadata';
import { MessageEndpointIds1000000000004 } from './read-model/migrations/0004-message-endpoint-ids';
import { CertificateWarnings1000000000005 } from './read-model/migrations/0005-certificate-warnings';
import { DeadLetterCause1000000000006 } from './read-model/migrations/0006-dead-letter-cause';
import { MessageContentExpunged1000000000007 } from './read-model/migrations/0007-message-content-expunged';
import { AttemptRequestBody1000000000008 } from './read-model/migrations/0008-attempt-request-body';
import { ApiKeyExpiry1000000000009 } from './read-model/migrations/0009-api-key-expiry';
import { MessageTags1000000000010 } from './read-model/migrations/0010-message-tags';
import { AttemptKafkaRecord1000000000011 } from './read-model/migrations/0011-attempt-kafka-record';
import { FailedAttemptsIndex1000000000012 } from './read-model/migrations/0012-failed-attempts-index';
import { Sources1000000000013 } from './read-model/migrations/0013-sources';
import { SourceHandshake1000000000014 } from './read-model/migrations/0014-source-handshake';
import { SourceRefusedRequests1000000000015 } from './read-model/migrations/0015-source-refused-requests';
import { SourceRateLimit1000000000016 } from './read-model/migrations/0016-source-rate-limit';
import { AttemptAmqpPublish1000000000017 } from './read-model/migrations/0017-attempt-amqp-publish';

export const READ_MODEL_MIGRATIONS = [CreateReadModels1000000000001, IndexMessageChannels1000000000002, UnwrapMetadata1000000000003,
  MessageEndpointIds1000000000004, CertificateWarnings1000000000005, DeadLetterCause1000000000006,
  MessageContentExpunged1000000000007, AttemptRequestBody1000000000008,
  ApiKeyExpiry1000000000009, MessageTags1000000000010, AttemptKafkaRecord1000000000011,
  FailedAttemptsIndex1000000000012, Sources1000000000013, SourceHandshake1000000000014,
  SourceRefusedRequests1000000000015, SourceRateLimit1000000000016, AttemptAmqpPublish1000000000017];

export interface ReadModelsOptions {
  url: string;
  poolSize?: number;
  applicationName?: string;
}

/**
 * Access to the generation-scoped read models. One pool serves every generation: a transaction picks its generation
 * by `SET LOCAL search_path`, so entities and SQL stay unqualified and a switch of generation needs no new pool.
 *
 * Generations: queries and the live projector use the one named in `query.active_generation`; a rebuild fills the
 * next one from offset 0 and flips that row (see replay/replay-runner.ts). The live projector holds the row FOR SHARE
 * during each batch transaction, so a flip (FOR UPDATE) happens between batches, never in the middle of one.
 */
export class ReadModels {
  private constructor(readonly dataSource: DataSource, private readonly options: ReadModelsOptions) {}

  /** Connects, migrates the control schema and the active generation (creating generation 1 on a fresh database). */
  static async open(options: ReadModelsOptions): Promise<ReadModels> {
    await ensureDatabase(options.url);
    const control = await openDatabase({ url: options.url, schema: CONTROL_SCHEMA, entities: [], migrations: [CreateGenerations1000000000001] });
    await control.destroy();
    // No `schema` option: TypeORM would then qualify every entity with it; the search_path chooses the generation instead.
    const base = dataSourceOptions({ url: options.url, schema: CONTROL_SCHEMA, entities: READ_MODEL_ENTITIES, migrations: [],
      poolSize: options.poolSize, applicationName: options.applicationName ?? 'query-service' });
    const dataSource = new DataSource({ ...base, schema: undefined } as typeof base);
    await dataSource.initialize();
    guardPoolClients(dataSource);
    const models = new ReadModels(dataSource, options);
    try {
      await models.ensureActiveGeneration();
    } catch (err) {
      await dataSource.destroy();
      throw err;
    }
    return models;
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  /** The generation queries read and the live projector writes. */
  async activeGeneration(): Promise<number> {
    const rows: Array<{ generation: number }> = await this.dataSource.query(`SELECT generation FROM ${CONTROL_SCHEMA}.active_generation`);
    if (!rows.length) throw new Error('no active read-model generation (the query service creates one at start-up)');
    return rows[0].generation;
  }

  /**
   * Runs `fn` in a read-only snapshot of the active generation: a response built from several queries (messages and
   * their deliveries) is consistent, and a generation flip in between cannot mix two generations.
   */
  read<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.transaction('START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY', async (em) => {
      await em.query(`SELECT ${SET_ACTIVE_SEARCH_PATH_SQL} FROM ${CONTROL_SCHEMA}.active_generation`);
      return fn(em);
    });
  }

  /**
   * Runs `fn` in one read-write transaction on a generation: the given one (a rebuild writing the next generation),
   * or the active one, holding the pointer FOR SHARE so it cannot flip until this transaction ends.
   */
  write<T>(generation: number | 'active', fn: (em: EntityManager, generation: number) => Promise<T>): Promise<T> {
    if (generation !== 'active') {
      // A generation being built (a rebuild) is begun and pointed at in one round trip. Its commits need not wait for
      // their WAL flush (about 8 ms each): a crash mid-rebuild abandons the whole generation (the next rebuild starts
      // a new one), and the switch-over that activates it commits synchronously, which flushes the WAL of every commit
      // before it. A rebuild consumer's last commits after the switch may still be unflushed when Postgres crashes;
      // they are lost together with the offsets stored in them, so the live projector projects those records again.
      const schema = generationSchema(generation);
      return this.transaction(`START TRANSACTION ISOLATION LEVEL READ COMMITTED; SET LOCAL search_path TO ${schema}; `
        + 'SET LOCAL synchronous_commit TO off', (em) => fn(em, generation));
    }
    return this.transaction('START TRANSACTION ISOLATION LEVEL READ COMMITTED', async (em) => {
      // The pointer and the search_path in one round trip (set_config(…, true) is SET LOCAL).
      const rows: Array<{ generation: number }> = await em.query(
        `SELECT generation, ${SET_ACTIVE_SEARCH_PATH_SQL} FROM ${CONTROL_SCHEMA}.active_generation FOR SHARE`);
      return fn(em, rows[0].generation);
    });
  }

  /**
   * `fn` in one transaction on a pooled connection, begun by `begin`, which names the isolation level (and access mode)
   * in the same statement: TypeORM's transaction(level) spends a round trip on START TRANSACTION and another on SET
   * TRANSACTION. The projector runs one transaction per fetch, and a round trip costs both processes a wake-up.
   * `fn` must only run SQL through `em.query` or reads (TypeORM does not know a transaction is open, so a save() would
   * open and commit its own).
   */
  private async transaction<T>(begin: string, fn: (em: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(begin);
      let result: T;
      try {
        result = await fn(runner.manager);
      } catch (err) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      await runner.query('COMMIT');
      return result;
    } finally {
      await runner.release();
    }
  }

  /** Creates (or recreates, when a previous rebuild died half way) generation `n`'s schema and migrates it. */
  async prepareGeneration(generation: number, fresh: boolean): Promise<void> {
    const schema = generationSchema(generation);
    if (fresh) await this.dataSource.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    const ds = await openDatabase({ url: this.options.url, schema, entities: [], migrations: READ_MODEL_MIGRATIONS, poolSize: 2,
      applicationName: 'query-service-migrate' });
    await ds.destroy();
  }

  /** Drops a generation's schema (old generations after a rebuild switched away from them). */
  async dropGeneration(generation: number): Promise<void> {
    await this.dataSource.query(`DROP SCHEMA IF EXISTS ${generationSchema(generation)} CASCADE`);
    await this.dataSource.query(`UPDATE ${CONTROL_SCHEMA}.generations SET state = 'dropped' WHERE generation = $1`, [generation]);
  }

  private async ensureActiveGeneration(): Promise<void> {
    // Several instances may start together: one creates generation 1, the others wait for the lock and find it.
    // A session-level advisory lock needs one connection for lock and unlock, hence the dedicated query runner.
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtext('hookline-query-generations'))`);
      const rows: Array<{ generation: number }> = await runner.query(`SELECT generation FROM ${CONTROL_SCHEMA}.active_generation`);
      if (rows.length) {
        await this.prepareGeneration(rows[0].generation, false); // applies migrations added since it was built
        return;
      }
      await this.prepareGeneration(1, true);
      await runner.startTransaction();
      await runner.query(`INSERT INTO ${CONTROL_SCHEMA}.generations (generation, state, activated_at) VALUES (1, 'active', now())`);
      await runner.query(`INSERT INTO ${CONTROL_SCHEMA}.active_generation (generation) VALUES (1)`);
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.query(`SELECT pg_advisory_unlock(hashtext('hookline-query-generations'))`).catch(() => undefined);
      await runner.release();
    }
  }
}
