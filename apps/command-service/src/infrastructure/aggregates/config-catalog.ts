import { EventTypeState, TenantState } from '@hookline/domain';
import { DataSource } from 'typeorm';
import { EVENT_TYPE, TENANT } from './aggregate-kinds';

interface Cached<T> {
  value: T;
  expiresAt: number;
}

/** Config changes made through another instance are seen within this long on the publish path. */
const TTL_MS = 2000;

/**
 * Read-through cache of tenants and event types for the message hot path: publishing must not cost a
 * Postgres round trip per message just to find the schema.
 */
export class ConfigCatalog {
  private readonly cache = new Map<string, Cached<unknown>>();

  constructor(private readonly ds: DataSource) {}

  tenant(tenantId: string): Promise<TenantState> {
    return this.read(TENANT.kind, tenantId, tenantId, TENANT.initial);
  }

  eventType(tenantId: string, name: string): Promise<EventTypeState> {
    return this.read(EVENT_TYPE.kind, tenantId, name, EVENT_TYPE.initial);
  }

  /** Drops a cached entry after this instance changed it. */
  invalidate(kind: string, tenantId: string, aggregateId: string): void {
    this.cache.delete(`${kind}\u0000${tenantId}\u0000${aggregateId}`);
  }

  private async read<S>(kind: string, tenantId: string, aggregateId: string, initial: () => S): Promise<S> {
    const key = `${kind}\u0000${tenantId}\u0000${aggregateId}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > now) return hit.value as S;
    const rows: Array<{ state: S }> = await this.ds.query(
      `SELECT state FROM aggregates WHERE kind = $1 AND tenant_id = $2 AND aggregate_id = $3`,
      [kind, tenantId, aggregateId],
    );
    const value = rows.length ? rows[0].state : initial();
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(key, { value, expiresAt: now + TTL_MS });
    return value;
  }
}
