import { MigrationInterface, QueryRunner } from 'typeorm';

/** Client-certificate warnings already raised, so each is raised once per certificate and stage, across restarts and instances. */
export class CertificateWarnings1764500000000 implements MigrationInterface {
  name = 'CertificateWarnings1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dispatcher.certificate_warnings (
      endpoint_id text NOT NULL, fingerprint_sha256 text NOT NULL, stage text NOT NULL, raised_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (endpoint_id, fingerprint_sha256, stage))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dispatcher.certificate_warnings`);
  }
}
