import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The next free send slot of each rate-limited endpoint, shared by every dispatcher instance so an endpoint's rate
 * limit holds however many instances send to it. Epoch milliseconds as a double: slots are 1000/rate ms apart, and a
 * timestamp's microseconds would round a third of a millisecond away on every grant. Null: the endpoint never sent.
 * `granted` is what the last grant gave, so the one statement that decides a grant can return it.
 */
export class EndpointSendSlots1764600000000 implements MigrationInterface {
  name = 'EndpointSendSlots1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dispatcher.endpoint_send_slots (
      endpoint_id text PRIMARY KEY, next_slot_ms double precision, granted int NOT NULL DEFAULT 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dispatcher.endpoint_send_slots`);
  }
}
