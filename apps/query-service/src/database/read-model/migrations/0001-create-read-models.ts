import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/**
 * The read models of one generation. Every table lives in the generation's own schema (`query_g<N>`), so the
 * statements are unqualified and the search_path picks the schema. Projected times come from the events
 * (never now()), so a rebuild from the log produces byte-identical rows.
 */
export class CreateReadModels1000000000001 implements MigrationInterface {
  name = 'CreateReadModels1000000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`
      CREATE TABLE projection_offsets (
        consumer text NOT NULL, topic text NOT NULL, partition int NOT NULL, "offset" bigint NOT NULL,
        PRIMARY KEY (consumer, topic, partition))`);
    await q.query(`
      CREATE TABLE config_states (
        aggregate_key text PRIMARY KEY, state jsonb NOT NULL, version int NOT NULL)`);
    await q.query(`
      CREATE TABLE tenants (
        tenant_id text PRIMARY KEY, name text NOT NULL, retention_days int, metadata jsonb NOT NULL,
        status text NOT NULL, version int NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)`);
    await q.query(`
      CREATE TABLE api_keys (
        key_id text PRIMARY KEY, scope text NOT NULL, tenant_id text, name text NOT NULL, key_hash text NOT NULL,
        key_prefix text NOT NULL, ip_allowlist text[] NOT NULL, rate_limit_per_second int, status text NOT NULL,
        version int NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX api_keys_hash ON api_keys (key_hash)`);
    await q.query(`
      CREATE TABLE endpoints (
        endpoint_id text PRIMARY KEY, tenant_id text NOT NULL, url text NOT NULL, description text NOT NULL,
        event_types text[], channels text[], status text NOT NULL, disabled_reason text, disabled_detail text,
        fifo boolean NOT NULL, metadata jsonb NOT NULL, version int NOT NULL,
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX endpoints_tenant ON endpoints (tenant_id, created_at, endpoint_id)`);
    await q.query(`
      CREATE TABLE endpoint_health (
        endpoint_id text PRIMARY KEY, tenant_id text NOT NULL,
        attempts bigint NOT NULL DEFAULT 0, successes bigint NOT NULL DEFAULT 0,
        latency_buckets bigint[] NOT NULL, status_codes jsonb NOT NULL DEFAULT '{}',
        last_attempt_at timestamptz, last_success_at timestamptz, last_failure_at timestamptz, last_error text,
        breaker_state text NOT NULL DEFAULT 'closed', breaker_failure_ratio double precision, breaker_changed_at timestamptz,
        auto_disabled_reason text, auto_disabled_detail text, auto_disabled_at timestamptz)`);
    await q.query(`
      CREATE TABLE event_types (
        tenant_id text NOT NULL, name text NOT NULL, description text NOT NULL, requires_approval boolean NOT NULL,
        status text NOT NULL, deprecated boolean NOT NULL, sunset_at timestamptz, current_version int,
        version int NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, name))`);
    await q.query(`
      CREATE TABLE event_type_schemas (
        tenant_id text NOT NULL, name text NOT NULL, version int NOT NULL, schema jsonb NOT NULL,
        breaking_changes text[] NOT NULL, published_at timestamptz NOT NULL, PRIMARY KEY (tenant_id, name, version))`);
    await q.query(`
      CREATE TABLE messages (
        message_id text PRIMARY KEY, tenant_id text NOT NULL, event_type text NOT NULL, event_type_version int,
        payload jsonb, payload_purged_at timestamptz, channels text[] NOT NULL, idempotency_key text, ordering_key text,
        created_at timestamptz NOT NULL, trace_id text,
        kafka_topic text NOT NULL, kafka_partition int NOT NULL, kafka_offset bigint NOT NULL)`);
    await q.query(`CREATE INDEX messages_tenant_created ON messages (tenant_id, created_at, message_id)`);
    await q.query(`CREATE INDEX messages_tenant_type ON messages (tenant_id, event_type, created_at, message_id)`);
    await q.query(`CREATE INDEX messages_channels ON messages USING gin (channels)`);
    await q.query(`CREATE INDEX messages_unpurged ON messages (created_at) WHERE payload_purged_at IS NULL`);
    await q.query(`
      CREATE TABLE deliveries (
        delivery_id text PRIMARY KEY, tenant_id text NOT NULL, message_id text NOT NULL, endpoint_id text NOT NULL,
        event_type text NOT NULL, status text NOT NULL, attempt_count int NOT NULL, next_attempt_at timestamptz,
        last_status_code int, last_error text, last_attempt_no int NOT NULL, message_published_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
        seq_attempt int NOT NULL, seq_rank smallint NOT NULL)`);
    await q.query(`CREATE INDEX deliveries_message ON deliveries (tenant_id, message_id)`);
    await q.query(`CREATE INDEX deliveries_endpoint_status ON deliveries (tenant_id, endpoint_id, status)`);
    await q.query(`CREATE INDEX deliveries_status ON deliveries (tenant_id, status, message_id)`);
    await q.query(`
      CREATE TABLE attempts (
        attempt_id text PRIMARY KEY, tenant_id text NOT NULL, delivery_id text NOT NULL, message_id text NOT NULL,
        endpoint_id text NOT NULL, event_type text NOT NULL, attempt int NOT NULL, trigger text NOT NULL, url text NOT NULL,
        request_headers jsonb NOT NULL, response_status int, response_headers jsonb, response_body text,
        response_body_truncated boolean NOT NULL, latency_ms int NOT NULL, error_class text, error_message text,
        succeeded boolean NOT NULL, status text NOT NULL, next_attempt_at timestamptz, trace_id text,
        started_at timestamptz NOT NULL, created_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX attempts_message ON attempts (tenant_id, message_id, created_at, attempt_id)`);
    await q.query(`CREATE INDEX attempts_endpoint ON attempts (tenant_id, endpoint_id, created_at, attempt_id)`);
    await q.query(`CREATE INDEX attempts_created ON attempts (created_at)`);
    await q.query(`
      CREATE TABLE dead_letters (
        delivery_id text PRIMARY KEY, tenant_id text NOT NULL, message_id text NOT NULL, endpoint_id text NOT NULL,
        event_type text NOT NULL, attempts int NOT NULL, last_error text NOT NULL, payload jsonb, channels text[] NOT NULL,
        message_published_at timestamptz NOT NULL, created_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX dead_letters_tenant ON dead_letters (tenant_id, created_at, delivery_id)`);
    await q.query(`
      CREATE TABLE audit_log (
        event_id text PRIMARY KEY, tenant_id text NOT NULL, type text NOT NULL, aggregate_kind text NOT NULL,
        aggregate_id text NOT NULL, aggregate_version int, actor_kind text, actor_id text, source text NOT NULL,
        correlation_id text NOT NULL, before jsonb, after jsonb, created_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX audit_log_tenant ON audit_log (tenant_id, created_at, event_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    for (const table of ['audit_log', 'dead_letters', 'attempts', 'deliveries', 'messages', 'event_type_schemas', 'event_types',
      'endpoint_health', 'endpoints', 'api_keys', 'tenants', 'config_states', 'projection_offsets']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
