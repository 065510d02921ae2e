import { MigrationInterface, QueryRunner } from 'typeorm';

/** Replay pages through one tenant's messages of a time window in publish order: an index range scan, not a filter. */
export class MessagesByTenantTime1765000000000 implements MigrationInterface {
  name = 'MessagesByTenantTime1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX messages_tenant_published ON messages (tenant_id, published_at, message_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX messages_tenant_published`);
  }
}
