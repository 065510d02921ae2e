import { EndpointId } from '@hookline/contracts';
import { DataSource } from 'typeorm';

/**
 * Tables that keep a few rows per endpoint besides its deliveries (its shared send slot, the instances' shares of its
 * in-flight cap, its shared circuit breaker and the instances' failure windows, the certificate warnings already
 * raised). Nothing reads them once the endpoint is deleted, so they go with it. The failing run in endpoint_health goes
 * through `EndpointHealth`, which caches it.
 */
const TABLES = ['dispatcher.endpoint_send_slots', 'dispatcher.endpoint_in_flight_shares', 'dispatcher.endpoint_breakers',
  'dispatcher.endpoint_breaker_windows', 'dispatcher.certificate_warnings'] as const;

export class EndpointRows {
  constructor(private readonly db: DataSource) {}

  async forget(endpointIds: EndpointId[]): Promise<void> {
    if (endpointIds.length === 0) return;
    for (const table of TABLES) await this.db.query(`DELETE FROM ${table} WHERE endpoint_id = ANY($1::text[])`, [endpointIds]);
  }

  /** Rows of endpoints deleted while no dispatcher ran; returns how many endpoints had some. */
  async forgetAllBut(exists: (endpointId: EndpointId) => boolean): Promise<number> {
    const rows: Array<{ endpoint_id: EndpointId }> = await this.db.query(
      TABLES.map((table) => `SELECT endpoint_id FROM ${table}`).join(' UNION '),
    );
    const gone = rows.map((r) => r.endpoint_id).filter((id) => !exists(id));
    await this.forget(gone);
    return gone.length;
  }
}
