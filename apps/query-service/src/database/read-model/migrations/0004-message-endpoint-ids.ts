import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/** The endpoints a message was aimed at (message.published.v1's endpoint_ids); null for a message to every subscribed endpoint. */
export class MessageEndpointIds1000000000004 implements MigrationInterface {
  name = 'MessageEndpointIds1000000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE messages ADD COLUMN endpoint_ids text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE messages DROP COLUMN endpoint_ids`);
  }
}
