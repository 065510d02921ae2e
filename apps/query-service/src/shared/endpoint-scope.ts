import { EntityManager } from 'typeorm';
import { ProblemError } from '@hookline/service-kit';

/**
 * Refuses an endpoint id that is not the tenant's (404, the same as a missing one). Attempts can be projected before
 * the endpoint's config event, so an endpoint known only from its health row counts as existing.
 */
export async function assertEndpointOfTenant(em: EntityManager, tenantId: string, endpointId: string): Promise<void> {
  const rows: unknown[] = await em.query(
    `SELECT 1 FROM endpoints WHERE tenant_id = $1 AND endpoint_id = $2
     UNION ALL SELECT 1 FROM endpoint_health WHERE tenant_id = $1 AND endpoint_id = $2 LIMIT 1`, [tenantId, endpointId]);
  if (!rows.length) throw new ProblemError('not_found', `endpoint ${endpointId} not found`);
}
