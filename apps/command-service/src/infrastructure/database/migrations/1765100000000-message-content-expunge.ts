import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message's content can be expunged (message.content_expunged.v1): the index then keeps the message without its
 * payload, and knows it can no longer be resent or replayed. The expunge goes on the log under the message's own key
 * (the tenant, or tenant:ordering_key), so the index keeps the ordering key too; rows indexed before this have none.
 */
export class MessageContentExpunge1765100000000 implements MigrationInterface {
  name = 'MessageContentExpunge1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN ordering_key text, ADD COLUMN content_expunged_at timestamptz, ALTER COLUMN payload DROP NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM messages WHERE payload IS NULL`);
    await q.query(`ALTER TABLE messages DROP COLUMN ordering_key, DROP COLUMN content_expunged_at, ALTER COLUMN payload SET NOT NULL`);
  }
}
