import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/** Why a delivery was dead-lettered (delivery.dead_lettered.v1's cause); null for dead letters from before it was said. */
export class DeadLetterCause1000000000006 implements MigrationInterface {
  name = 'DeadLetterCause1000000000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE dead_letters ADD COLUMN cause text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE dead_letters DROP COLUMN cause`);
  }
}
