import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema } from '../../migration-schema';

/**
 * An endpoint's failed attempts, newest first, from an index of their own. The attempt filters narrow a scan of the
 * endpoint's attempts (attempts_endpoint), which is cheap while matches are common; failures, the filter people use
 * most, are rare on a healthy endpoint, so a page of them read every attempt back to the window's start (167 ms at
 * 400,000 attempts, and growing with them). Partial: only failures pay its upkeep.
 */
export class FailedAttemptsIndex1000000000012 implements MigrationInterface {
  name = 'FailedAttemptsIndex1000000000012';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`CREATE INDEX attempts_endpoint_failed ON attempts (tenant_id, endpoint_id, created_at, attempt_id) WHERE NOT succeeded`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL search_path TO "${migrationSchema(q)}"`);
    await q.query(`DROP INDEX attempts_endpoint_failed`);
  }
}
