import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../migration-schema';

/**
 * The control schema `query`: which read-model generation (`query_g<N>`) queries and the live projector use.
 * A rebuild fills the next generation and flips `active_generation` in one transaction.
 */
// TypeORM orders migrations by the 13-digit number ending the class name: 1000000000001 is migration 0001.
export class CreateGenerations1000000000001 implements MigrationInterface {
  name = 'CreateGenerations1000000000001';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
      CREATE TABLE "${s}".generations (
        generation int PRIMARY KEY, state text NOT NULL CHECK (state IN ('building', 'active', 'retired', 'dropped')),
        created_at timestamptz NOT NULL DEFAULT now(), activated_at timestamptz)`);
    await q.query(`
      CREATE TABLE "${s}".active_generation (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), generation int NOT NULL REFERENCES "${s}".generations)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`DROP TABLE "${s}".active_generation`);
    await q.query(`DROP TABLE "${s}".generations`);
  }
}
