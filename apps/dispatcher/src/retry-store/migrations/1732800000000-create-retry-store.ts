import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dispatcher's durable slow path. `parked_deliveries` holds deliveries that could not finish on the fast path
 * (failed, rate-limited, breaker open, in-flight cap, FIFO, long-running), with the whole message so a retry never
 * re-reads Kafka; `endpoint_health` remembers since when an endpoint has failed without a success in between.
 */
export class CreateRetryStore1732800000000 implements MigrationInterface {
  name = 'CreateRetryStore1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE dispatcher.parked_fifo_seq`);
    await q.query(`
      CREATE TABLE dispatcher.parked_deliveries (
        delivery_id     text PRIMARY KEY,
        tenant_id       text NOT NULL,
        endpoint_id     text NOT NULL,
        message_id      text NOT NULL,
        message         jsonb NOT NULL,
        published_at    timestamptz NOT NULL,
        origin          text NOT NULL CHECK (origin IN ('initial', 'resend', 'recover')),
        attempt         int NOT NULL CHECK (attempt >= 1),
        next_attempt_at timestamptz NOT NULL,
        state           text NOT NULL CHECK (state IN ('scheduled', 'dead')),
        park_reason     text,
        fifo_seq        bigint,
        last_error      text,
        lease_owner     text,
        lease_until     timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    // The claim query scans due rows in time order.
    await q.query(`CREATE INDEX parked_deliveries_due ON dispatcher.parked_deliveries (next_attempt_at) WHERE state = 'scheduled'`);
    // FIFO: "is there an earlier scheduled row of this endpoint?" must be an index probe.
    await q.query(`
      CREATE INDEX parked_deliveries_fifo ON dispatcher.parked_deliveries (endpoint_id, fifo_seq)
      WHERE state = 'scheduled' AND fifo_seq IS NOT NULL`);
    // Recover: an endpoint's deliveries by publish time.
    await q.query(`CREATE INDEX parked_deliveries_recover ON dispatcher.parked_deliveries (endpoint_id, published_at)`);
    await q.query(`
      CREATE TABLE dispatcher.endpoint_health (
        endpoint_id   text PRIMARY KEY,
        tenant_id     text NOT NULL,
        failing_since timestamptz NOT NULL,
        last_error    text,
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dispatcher.endpoint_health`);
    await q.query(`DROP TABLE dispatcher.parked_deliveries`);
    await q.query(`DROP SEQUENCE dispatcher.parked_fifo_seq`);
  }
}
