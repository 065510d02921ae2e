import { EndpointId, TenantId } from '@hookline/contracts';
import { DataSource } from 'typeorm';

/** dispatcher.endpoint_health: since when each failing endpoint has failed with no success in between. */
export class EndpointHealthStore {
  constructor(private readonly db: DataSource) {}

  /** Notes a failure; returns since when the endpoint has been failing (the first failure of the run is kept). */
  async recordFailure(tenantId: TenantId, endpointId: EndpointId, at: Date, error: string): Promise<Date> {
    const rows = await this.db.query(
      `INSERT INTO dispatcher.endpoint_health (endpoint_id, tenant_id, failing_since, last_error) VALUES ($1, $2, $3, $4)
       ON CONFLICT (endpoint_id) DO UPDATE SET last_error = EXCLUDED.last_error, updated_at = now()
       RETURNING failing_since`,
      [endpointId, tenantId, at.toISOString(), error.slice(0, 1000)],
    );
    return new Date(rows[0].failing_since);
  }

  async clear(endpointId: EndpointId): Promise<void> {
    await this.db.query(`DELETE FROM dispatcher.endpoint_health WHERE endpoint_id = $1`, [endpointId]);
  }

  /** Endpoints failing right now, to know at start-up which successes must clear a row. */
  async failingEndpoints(): Promise<EndpointId[]> {
    const rows: Array<{ endpoint_id: EndpointId }> = await this.db.query(`SELECT endpoint_id FROM dispatcher.endpoint_health`);
    return rows.map((r) => r.endpoint_id);
  }
}
