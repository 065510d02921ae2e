import { MigrationInterface, QueryRunner } from 'typeorm';

/** The retention purge finds dead rows by age without scanning the scheduled ones. */
export class DeadRowsByAge1764300000000 implements MigrationInterface {
  name = 'DeadRowsByAge1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX parked_deliveries_dead_age ON dispatcher.parked_deliveries (updated_at) WHERE state = 'dead'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dispatcher.parked_deliveries_dead_age`);
  }
}
