import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The command service's write model: current state of each config aggregate (for deciding), the transactional
 * outbox (events waiting for Kafka), idempotency keys, and the message index used by resend.
 */
export class WriteModel1732780800000 implements MigrationInterface {
  name = 'WriteModel1732780800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE aggregates (
        kind         text        NOT NULL,
        tenant_id    text        NOT NULL,
        aggregate_id text        NOT NULL,
        version      integer     NOT NULL,
        state        jsonb       NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, tenant_id, aggregate_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX aggregates_api_key_hash ON aggregates ((state->>'keyHash')) WHERE kind = 'api_key'`);
    await q.query(`
      CREATE TABLE outbox (
        seq        bigserial   PRIMARY KEY,
        event_id   text        NOT NULL UNIQUE,
        topic      text        NOT NULL,
        key        text        NOT NULL,
        value      text        NOT NULL,
        headers    jsonb       NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at    timestamptz,
        partition  integer,
        "offset"   bigint
      )`);
    await q.query(`CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        tenant_id    text        NOT NULL,
        key          text        NOT NULL,
        request_hash text        NOT NULL,
        message_id   text        NOT NULL,
        response     jsonb,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)`);
    await q.query(`
      CREATE TABLE messages (
        tenant_id          text        NOT NULL,
        message_id         text        NOT NULL,
        event_type         text        NOT NULL,
        event_type_version integer,
        payload            jsonb       NOT NULL,
        channels           text[]      NOT NULL,
        published_at       timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, message_id)
      )`);
    await q.query(`CREATE INDEX messages_published ON messages (published_at)`);
    await q.query(`
      CREATE TABLE consumer_offsets (
        consumer  text    NOT NULL,
        topic     text    NOT NULL,
        partition integer NOT NULL,
        "offset"  bigint  NOT NULL,
        PRIMARY KEY (consumer, topic, partition)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['consumer_offsets', 'messages', 'idempotency_keys', 'outbox', 'aggregates']) await q.query(`DROP TABLE ${t}`);
  }
}
