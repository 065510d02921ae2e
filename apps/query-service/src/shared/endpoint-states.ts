import type { EndpointState } from '@hookline/domain';
import { EntityManager } from 'typeorm';

/**
 * The folded states of a tenant's endpoints from config_states (the projection keeps each aggregate's domain state
 * there), for the settings the endpoints table has no column for. Keyed by endpoint id; an id without a state, or of
 * another tenant, is left out.
 */
export async function endpointStates(em: EntityManager, tenantId: string, endpointIds: string[]): Promise<Map<string, EndpointState>> {
  if (!endpointIds.length) return new Map();
  const rows: Array<{ aggregate_key: string; state: { state: EndpointState } }> = await em.query(
    `SELECT aggregate_key, state FROM config_states WHERE aggregate_key = ANY($1) AND state->>'tenant_id' = $2`,
    [endpointIds.map((id) => `endpoint:${id}`), tenantId]);
  return new Map(rows.map((r) => [r.aggregate_key.slice('endpoint:'.length), r.state.state]));
}
