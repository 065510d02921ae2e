import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/**
 * HTTP sources learned a rate limit (`rate_limit`, added in 2026-12 within v1): its two figures in their own columns, as
 * 0013 keeps every field the API shows. Both null: no limit, which is what every row written before had.
 */
export class SourceRateLimit1000000000016 implements MigrationInterface {
  name = 'SourceRateLimit1000000000016';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE sources ADD COLUMN rate_limit_per_second int, ADD COLUMN rate_limit_burst int`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE sources DROP COLUMN rate_limit_burst, DROP COLUMN rate_limit_per_second`);
  }
}
