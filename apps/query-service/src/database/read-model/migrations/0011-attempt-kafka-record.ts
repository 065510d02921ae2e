import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/** Where a Kafka destination's cluster wrote an attempt's record (delivery.attempted.v1's kafka_record). */
export class AttemptKafkaRecord1000000000011 implements MigrationInterface {
  name = 'AttemptKafkaRecord1000000000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE attempts ADD COLUMN kafka_record jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE attempts DROP COLUMN kafka_record`);
  }
}
