import type { EndpointState } from '@hookline/domain';
import { EntityManager } from 'typeorm';
import type { EndpointEntity } from '../database/read-model/entities';
import { EndpointView, endpointView } from './endpoint-view';

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

/** The tenant's event types that need approval (by name). */
export async function typesNeedingApproval(em: EntityManager, tenantId: string): Promise<string[]> {
  const rows: Array<{ name: string }> = await em.query(
    `SELECT name FROM event_types WHERE tenant_id = $1 AND requires_approval AND status = 'active' ORDER BY name`, [tenantId]);
  return rows.map((r) => r.name);
}

/** Endpoint rows of one tenant as the API shows them (see endpointView): with their folded states and what they await. */
export async function endpointViews(em: EntityManager, tenantId: string, rows: EndpointEntity[]): Promise<EndpointView[]> {
  const [states, gated] = await Promise.all([endpointStates(em, tenantId, rows.map((r) => r.endpoint_id)), typesNeedingApproval(em, tenantId)]);
  return rows.map((r) => endpointView(r, states.get(r.endpoint_id) ?? null, gated));
}
