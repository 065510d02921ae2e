import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/**
 * The labels a publisher gave a message (message.published.v1's tags), and the index the tag filter uses. Like the
 * channels index, it leaves out messages without tags (most of them), which a tag filter never matches: their insert
 * skips the GIN upkeep.
 */
export class MessageTags1000000000010 implements MigrationInterface {
  name = 'MessageTags1000000000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE messages ADD COLUMN tags text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX messages_tags ON messages USING gin (tags) WHERE tags <> '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`DROP INDEX messages_tags`);
    await q.query(`ALTER TABLE messages DROP COLUMN tags`);
  }
}
