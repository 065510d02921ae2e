import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/**
 * HTTP sources (source.created/updated/deleted.v1): where a provider's webhooks come in, as the API shows them. Keyed by
 * tenant first, so no lookup can reach a source without naming its tenant. How a request is verified is kept as a
 * summary, one column per field the API shows: a sealed secret has no column to land in. `version` is the source's
 * aggregate version (the upsert never goes back to an older one); the offsets applied are in projection_offsets, written
 * in the same transaction as these rows. A deleted source, or every source of a deleted tenant, has no row.
 */
export class Sources1000000000013 implements MigrationInterface {
  name = 'Sources1000000000013';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`
      CREATE TABLE sources (
        tenant_id text NOT NULL, source_id text NOT NULL, name text NOT NULL, description text NOT NULL,
        verification_type text NOT NULL, verification_header text, verification_algorithm text, verification_encoding text,
        verification_prefix text, verification_username text, verification_tolerance_seconds int,
        event_type jsonb NOT NULL, idempotency jsonb, payload_field text, channels text[], enabled boolean NOT NULL,
        version int NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, source_id))`);
    await q.query(`CREATE INDEX sources_tenant_created ON sources (tenant_id, created_at, source_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`DROP TABLE sources`);
  }
}
