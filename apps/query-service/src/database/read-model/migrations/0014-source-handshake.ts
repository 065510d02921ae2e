import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/**
 * HTTP sources learned Slack's and Zoom's `v0` signatures and handshakes (added in 2026-12 within v1): the timestamp
 * header of a `v0_hmac` verification, and the kind of handshake a source answers, each in its own column as 0013 keeps
 * every field the API shows. Meta's verify token is sealed: it has no column. Rows written before have neither (null:
 * no such header, no handshake), which is what their sources had.
 */
export class SourceHandshake1000000000014 implements MigrationInterface {
  name = 'SourceHandshake1000000000014';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE sources ADD COLUMN verification_timestamp_header text, ADD COLUMN handshake_type text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE sources DROP COLUMN handshake_type, DROP COLUMN verification_timestamp_header`);
  }
}
