import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/**
 * Requests HTTP sources refused (source.request_refused.v1, added in 2026-12): what a tenant reads to find out why a
 * provider's webhooks never became messages. Keyed by tenant first like every read model; one row per event (its id),
 * so a replayed event changes nothing. Listed per source, newest first, on the index. Rows go with their source and
 * tenant, and with the retention of attempts (a diagnostic log, not a record to keep).
 */
export class SourceRefusedRequests1000000000015 implements MigrationInterface {
  name = 'SourceRefusedRequests1000000000015';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`
      CREATE TABLE source_refused_requests (
        tenant_id text NOT NULL, event_id text NOT NULL, source_id text NOT NULL, created_at timestamptz NOT NULL,
        method text NOT NULL, status int NOT NULL, outcome text NOT NULL, reason text NOT NULL, detail text NOT NULL,
        headers jsonb NOT NULL, query jsonb NOT NULL, content_type text, body_bytes int NOT NULL, body_excerpt text NOT NULL,
        body_truncated boolean NOT NULL, not_recorded int NOT NULL,
        PRIMARY KEY (tenant_id, event_id))`);
    await q.query(`CREATE INDEX source_refused_requests_source ON source_refused_requests (tenant_id, source_id, created_at, event_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`DROP TABLE source_refused_requests`);
  }
}
