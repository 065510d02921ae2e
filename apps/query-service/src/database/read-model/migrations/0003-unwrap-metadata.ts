import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/**
 * Tenant and endpoint metadata were projected as JSON text inside jsonb (a string holding `{"plan":"pro"}`) instead of
 * the object, which the endpoint queries would have shown as such. The projection now writes the object; this turns
 * rows already written that way back into objects. Idempotent: only string values are touched.
 */
export class UnwrapMetadata1000000000003 implements MigrationInterface {
  name = 'UnwrapMetadata1000000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    for (const table of ['tenants', 'endpoints']) {
      await q.query(`UPDATE ${table} SET metadata = (metadata #>> '{}')::jsonb WHERE jsonb_typeof(metadata) = 'string'`);
    }
  }

  async down(): Promise<void> {
    // Nothing to undo: the objects are what the column was always meant to hold.
  }
}
