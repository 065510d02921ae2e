import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/**
 * The latest client-certificate warning of each endpoint (endpoint.client_certificate_expiring.v1): which certificate,
 * which stage, when. Warnings appended before this migration show once the read models are rebuilt from the log.
 */
export class CertificateWarnings1000000000005 implements MigrationInterface {
  name = 'CertificateWarnings1000000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE endpoint_health ADD COLUMN certificate_fingerprint text, ADD COLUMN certificate_warning text,
      ADD COLUMN certificate_warned_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`ALTER TABLE endpoint_health DROP COLUMN certificate_fingerprint, DROP COLUMN certificate_warning,
      DROP COLUMN certificate_warned_at`);
  }
}
