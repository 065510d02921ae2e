import { EndpointState, EventTypeState, SourceState, TenantState } from '@hookline/domain';
import { SingleFlightCache } from '@hookline/service-kit';
import { DataSource } from 'typeorm';
import { ENDPOINT, EVENT_TYPE, SOURCE, TENANT } from './aggregate-kinds';

/** Config changes made through another instance are seen within this long on the publish path. */
const TTL_MS = 2000;

/**
 * Read-through cache of tenants and event types for the message hot path: publishing must not cost a
 * Postgres round trip per message just to find the schema, nor one per request in flight when an entry expires.
 */
export class ConfigCatalog {
  private readonly cache = new SingleFlightCache<unknown>({ ttlMs: TTL_MS, maxEntries: 50_000 });

  constructor(private readonly ds: DataSource) {}

  tenant(tenantId: string): Promise<TenantState> {
    return this.read(TENANT.kind, tenantId, tenantId, TENANT.initial);
  }

  eventType(tenantId: string, name: string): Promise<EventTypeState> {
    return this.read(EVENT_TYPE.kind, tenantId, name, EVENT_TYPE.initial);
  }

  /** For messages aimed at some endpoints: whether each exists (a deletion elsewhere is seen within the TTL). */
  endpoint(tenantId: string, endpointId: string): Promise<EndpointState> {
    return this.read(ENDPOINT.kind, tenantId, endpointId, ENDPOINT.initial);
  }

  /**
   * An HTTP source by its id alone, with the tenant it belongs to (null when there is none): a provider's request names
   * only the source, and the source decides the tenant. The one read here across tenants, by an id no tenant chooses.
   */
  async source(sourceId: string): Promise<{ tenantId: string; state: SourceState } | null> {
    const found = await this.cache.get(cacheKey(SOURCE.kind, '', sourceId), async () => {
      const rows: Array<{ tenant_id: string; state: SourceState }> = await this.ds.query(
        `SELECT tenant_id, state FROM aggregates WHERE kind = $1 AND aggregate_id = $2`, [SOURCE.kind, sourceId],
      );
      return rows.length ? { tenantId: rows[0].tenant_id, state: rows[0].state } : null;
    // Misses are not kept: ids nobody created must not crowd out the tenants and event types the publish path needs.
    }, (found) => found !== null);
    return found as { tenantId: string; state: SourceState } | null;
  }

  /** The tenant's event types that need approval (config path only: read fresh, never cached). */
  async typesNeedingApproval(tenantId: string): Promise<string[]> {
    const rows: Array<{ name: string }> = await this.ds.query(
      `SELECT aggregate_id AS name FROM aggregates
        WHERE kind = $1 AND tenant_id = $2 AND state->>'status' = 'active' AND (state->>'requiresApproval')::boolean`,
      [EVENT_TYPE.kind, tenantId],
    );
    return rows.map((r) => r.name);
  }

  /** Drops a cached entry after this instance changed it. */
  invalidate(kind: string, tenantId: string, aggregateId: string): void {
    this.cache.delete(cacheKey(kind, tenantId, aggregateId));
  }

  private async read<S>(kind: string, tenantId: string, aggregateId: string, initial: () => S): Promise<S> {
    const value = await this.cache.get(cacheKey(kind, tenantId, aggregateId), async () => {
      const rows: Array<{ state: S }> = await this.ds.query(
        `SELECT state FROM aggregates WHERE kind = $1 AND tenant_id = $2 AND aggregate_id = $3`,
        [kind, tenantId, aggregateId],
      );
      return rows.length ? rows[0].state : initial();
    });
    return value as S;
  }
}

const cacheKey = (kind: string, tenantId: string, aggregateId: string): string => `${kind}\u0000${tenantId}\u0000${aggregateId}`;
