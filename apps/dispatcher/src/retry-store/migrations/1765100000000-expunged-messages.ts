import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages whose content was expunged (message.content_expunged.v1): the retry worker never sends a row of one, on
 * whichever instance claims it, so a retry parked after the expunge was read (its attempt was under way then) is dropped
 * instead of sent. The index on parked_deliveries lets the expunge find a message's rows without reading them all.
 */
export class ExpungedMessages1765100000000 implements MigrationInterface {
  name = 'ExpungedMessages1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dispatcher.expunged_messages (
      tenant_id text NOT NULL, message_id text NOT NULL, expunged_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (message_id, tenant_id))`);
    await q.query(`CREATE INDEX expunged_messages_age ON dispatcher.expunged_messages (expunged_at)`);
    await q.query(`CREATE INDEX parked_deliveries_message ON dispatcher.parked_deliveries (message_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dispatcher.parked_deliveries_message`);
    await q.query(`DROP TABLE dispatcher.expunged_messages`);
  }
}
