import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/** When a key stops working (api_key.created.v1's expires_at: portal sessions); null for keys without one. */
export class ApiKeyExpiry1000000000009 implements MigrationInterface {
  name = 'ApiKeyExpiry1000000000009';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE api_keys ADD COLUMN expires_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE api_keys DROP COLUMN expires_at`);
  }
}
