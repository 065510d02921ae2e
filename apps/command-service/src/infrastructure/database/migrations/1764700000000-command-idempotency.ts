import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Key for config commands. Their keys share `idempotency_keys` with message keys, so one key names one
 * request whatever it was. A config command's row carries no message id: it holds the sealed answer (which may
 * contain a new secret) and the outbox rows of its events, whose Kafka position a replay answers with again.
 * And for appends that failed: the key is left to a retry (`append_failed`), which appends again under the same id.
 */
export class CommandIdempotency1764700000000 implements MigrationInterface {
  name = 'CommandIdempotency1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys ALTER COLUMN message_id DROP NOT NULL`);
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN sealed_answer text, ADD COLUMN outbox_seqs bigint[], ADD COLUMN append_failed boolean NOT NULL DEFAULT false`);
    // Sent outbox rows are purged after the idempotency TTL; this index keeps that purge off the whole table.
    await q.query(`CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_sent`);
    await q.query(`DELETE FROM idempotency_keys WHERE message_id IS NULL`);
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN sealed_answer, DROP COLUMN outbox_seqs, DROP COLUMN append_failed`);
    await q.query(`ALTER TABLE idempotency_keys ALTER COLUMN message_id SET NOT NULL`);
  }
}
