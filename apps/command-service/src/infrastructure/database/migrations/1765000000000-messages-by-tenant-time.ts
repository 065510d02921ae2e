import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Replay pages through one tenant's messages of a time window in publish order: an index range scan, not a filter.
 * And it must know which endpoints a message was aimed at (message.published.v1's endpoint_ids; null: every
 * subscribed endpoint), so that a message meant for one endpoint is never replayed to another.
 */
export class MessagesByTenantTime1765000000000 implements MigrationInterface {
  name = 'MessagesByTenantTime1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX messages_tenant_published ON messages (tenant_id, published_at, message_id)`);
    await q.query(`ALTER TABLE messages ADD COLUMN endpoint_ids text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages DROP COLUMN endpoint_ids`);
    await q.query(`DROP INDEX messages_tenant_published`);
  }
}
