import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A resend or recover that finds a delivery's attempt still running (its row leased) is noted in `restart_as`
 * instead of making the row due at once: another worker would send it a second time alongside the running attempt (and
 * a FIFO endpoint would have two in flight). The new series starts when that attempt lets go of the row.
 */
export class SeriesRestarts1765000000000 implements MigrationInterface {
  name = 'SeriesRestarts1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dispatcher.parked_deliveries ADD COLUMN restart_as text CHECK (restart_as IN ('resend', 'recover'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dispatcher.parked_deliveries DROP COLUMN restart_as`);
  }
}
