import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A provider's webhook names its HTTP source by id alone (`POST /ingest/{source_id}`), and the tenant comes from the
 * source: this index finds it without the tenant, and holds source ids unique across tenants.
 */
export class SourceById1765300000000 implements MigrationInterface {
  name = 'SourceById1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX aggregates_source_id ON aggregates (aggregate_id) WHERE kind = 'source'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX aggregates_source_id`);
  }
}
