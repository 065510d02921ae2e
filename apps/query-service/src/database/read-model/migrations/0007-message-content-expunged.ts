import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/** When a message's content was expunged (message.content_expunged.v1), told apart from a purge by retention. */
export class MessageContentExpunged1000000000007 implements MigrationInterface {
  name = 'MessageContentExpunged1000000000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE messages ADD COLUMN payload_expunged_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE messages DROP COLUMN payload_expunged_at`);
  }
}
