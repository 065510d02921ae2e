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
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dispatcher.endpoint_breakers`);
  }
}
