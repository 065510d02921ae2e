import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Circuit breakers that are not closed, shared by every dispatcher instance: one row per endpoint whose breaker is
 * open or half-open (closed is the absence of a row), so all instances stop sending to a failing endpoint together,
 * exactly one of them probes it, and each change is announced once.
 */
export class EndpointBreakers1764900000000 implements MigrationInterface {
  name = 'EndpointBreakers1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dispatcher.endpoint_breakers (
      endpoint_id text PRIMARY KEY,
      state text NOT NULL CHECK (state IN ('open', 'half_open')),
      open_until timestamptz NOT NULL,
      probe_holder text,
      probe_until timestamptz,
      changed_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((state = 'half_open') = (probe_holder IS NOT NULL AND probe_until IS NOT NULL)))`);
    // Each instance's failure window of the endpoints it saw fail, so a breaker's minimum volume and failure ratio
    // are judged over every attempt to the endpoint, however many instances made them.
    await q.query(`CREATE TABLE dispatcher.endpoint_breaker_windows (
      endpoint_id text NOT NULL, instance_id text NOT NULL, ok int NOT NULL, failed int NOT NULL, expires_at timestamptz NOT NULL,
      PRIMARY KEY (endpoint_id, instance_id))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dispatcher.endpoint_breaker_windows`);
    await q.query(`DROP TABLE dispatcher.endpoint_breakers`);
  }
}
