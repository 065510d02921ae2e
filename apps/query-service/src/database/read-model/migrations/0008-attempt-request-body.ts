import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/** The body an attempt sent when the endpoint's transformation made it (delivery.attempted.v1's request_body). */
export class AttemptRequestBody1000000000008 implements MigrationInterface {
  name = 'AttemptRequestBody1000000000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE attempts ADD COLUMN request_body text, ADD COLUMN request_body_truncated boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE attempts DROP COLUMN request_body, DROP COLUMN request_body_truncated`);
  }
}
