import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What each dispatcher instance holds of an endpoint's max_in_flight (endpoints with one set), so the cap holds
 * however many instances send to the endpoint. A row lives while its instance sends to the endpoint and renews it;
 * an instance that died leaves a row that others ignore once it has expired.
 */
export class EndpointInFlightShares1764800000000 implements MigrationInterface {
  name = 'EndpointInFlightShares1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dispatcher.endpoint_in_flight_shares (
      endpoint_id text NOT NULL, instance_id text NOT NULL, held int NOT NULL, expires_at timestamptz NOT NULL,
      PRIMARY KEY (endpoint_id, instance_id))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dispatcher.endpoint_in_flight_shares`);
  }
}
