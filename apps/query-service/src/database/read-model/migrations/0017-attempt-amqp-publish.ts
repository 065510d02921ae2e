import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/**
 * Where an AMQP destination's broker took an attempt's message (delivery.attempted.v1's amqp_publish, added in 2026-12
 * within v1): one jsonb column like 0011's kafka_record. Null for every row written before, as for any other attempt.
 */
export class AttemptAmqpPublish1000000000017 implements MigrationInterface {
  name = 'AttemptAmqpPublish1000000000017';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE attempts ADD COLUMN amqp_publish jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE attempts DROP COLUMN amqp_publish`);
  }
}
