import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Portal sessions expire, and every visit to a portal opens one: the write model forgets their keys a day after
 * (expired-portal-sessions.ts), found through this index rather than by reading every aggregate each time.
 */
export class PortalSessionExpiry1765200000000 implements MigrationInterface {
  name = 'PortalSessionExpiry1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX aggregates_portal_session_expiry ON aggregates ((state->>'expiresAt'))
      WHERE kind = 'api_key' AND state->>'scope' = 'portal'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX aggregates_portal_session_expiry`);
  }
}
