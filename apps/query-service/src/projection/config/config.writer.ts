import { EntityManager } from 'typeorm';
import { ConfigEvent, EventOf, HooklineEvent } from '@hookline/contracts';
import { SourceState, TenantState } from '@hookline/domain';
import { ProjectedRecord } from '../projected-record';
import { insertRows } from '../sql-rows';
import { AggregateKind, StoredAggregate, aggregateOf, auditView, emptyAggregate, evolveAggregate } from './config-aggregates';
import { apiKeyRow, endpointRow, eventTypeRow, sourceRow, tenantRow } from './config-rows';

export type ConfigRecord = ProjectedRecord & { event: EventOf<ConfigEvent> };

interface AuditRow {
  event: EventOf<HooklineEvent>;
  kind: string;
  aggregateId: string;
  before: unknown;
  after: unknown;
}

/** Events whose audit row exists were applied before: the audit log doubles as the config projection's dedupe table. */
async function unseen<R extends ProjectedRecord>(em: EntityManager, records: R[]): Promise<R[]> {
  const byId = new Map<string, R>(records.map((r) => [r.event.id, r]));
  if (byId.size === 0) return [];
  const seen: Array<{ event_id: string }> = await em.query('SELECT event_id FROM audit_log WHERE event_id = ANY($1)', [[...byId.keys()]]);
  for (const row of seen) byId.delete(row.event_id);
  return [...byId.values()];
}

/**
 * Config events: evolve each aggregate with the domain's evolve functions (loading the states of the batch's
 * aggregates in one query), then write the new states, the config tables, new schema versions and one audit row
 * per event (with before/after), each as one multi-row statement.
 */
export async function writeConfigEvents(em: EntityManager, records: ConfigRecord[]): Promise<void> {
  const fresh = await unseen(em, records);
  if (!fresh.length) return;
  const keys = [...new Set(fresh.map((r) => aggregateOf(r.event)!.key))];
  const loaded: Array<{ aggregate_key: string; state: StoredAggregate }> =
    await em.query('SELECT aggregate_key, state FROM config_states WHERE aggregate_key = ANY($1)', [keys]);
  const states = new Map(loaded.map((r) => [r.aggregate_key, r.state] as const));
  const changed = new Map<string, { id: string; stored: StoredAggregate }>();
  const audit: AuditRow[] = [];
  const schemas: unknown[][] = [];

  for (const { event } of fresh) {
    const agg = aggregateOf(event)!;
    const before = states.get(agg.key) ?? emptyAggregate(agg.kind, event.tenant_id);
    const version = (before.state as { version: number }).version;
    // An event at or below the stored version (re-sent by an outbox under a new id) must not be applied twice.
    if (event.aggregate_version !== undefined && event.aggregate_version <= version) continue;
    const after = evolveAggregate(before, event);
    states.set(agg.key, after);
    changed.set(agg.key, { id: agg.id, stored: after });
    audit.push({ event, kind: agg.kind, aggregateId: agg.id, before: auditView(before), after: auditView(after) });
    if (event.type === 'event_type.created.v1' && event.data.schema) {
      schemas.push([event.tenant_id, event.data.name, 1, event.data.schema, [], event.occurred_at]);
    } else if (event.type === 'event_type.schema_published.v1') {
      schemas.push([event.tenant_id, event.data.name, event.data.version, event.data.schema, event.data.breaking_changes ?? [],
        event.occurred_at]);
    }
  }

  await insertRows(em, 'config_states (aggregate_key text, state jsonb, version int)',
    [...changed].map(([key, c]) => [key, c.stored, (c.stored.state as { version: number }).version]),
    'ON CONFLICT (aggregate_key) DO UPDATE SET state = EXCLUDED.state, version = EXCLUDED.version');
  await writeTables(em, [...changed.values()]);
  await insertRows(em, `event_type_schemas (tenant_id text, name text, version int, schema jsonb, breaking_changes text[],
      published_at timestamptz)`, schemas,
    'ON CONFLICT DO NOTHING');
  await writeAudit(em, audit);
}

type Changed = Array<{ id: string; stored: StoredAggregate }>;
const of = (kind: AggregateKind, changed: Changed) => changed.filter((c) => c.stored.kind === kind);
const setAll = (columns: string[]) => columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ');

async function writeTables(em: EntityManager, changed: Changed): Promise<void> {
  await insertRows(em, `tenants (tenant_id text, name text, retention_days int, metadata jsonb, status text, version int,
      created_at timestamptz, updated_at timestamptz)`,
    of('tenant', changed).map((c) => tenantRow(c.stored)),
    `ON CONFLICT (tenant_id) DO UPDATE SET ${setAll(['name', 'retention_days', 'metadata', 'status', 'version', 'updated_at'])}`);
  await insertRows(em, `api_keys (key_id text, scope text, tenant_id text, name text, key_hash text, key_prefix text, ip_allowlist text[],
      rate_limit_per_second int, status text, expires_at timestamptz, version int, created_at timestamptz, updated_at timestamptz)`,
    of('api_key', changed).map((c) => apiKeyRow(c.stored)),
    `ON CONFLICT (key_id) DO UPDATE SET ${setAll(['status', 'version', 'updated_at'])}`);
  const endpointColumns = ['url', 'description', 'event_types', 'channels', 'status', 'disabled_reason', 'disabled_detail', 'fifo',
    'metadata', 'version', 'updated_at'];
  await insertRows(em, `endpoints (endpoint_id text, tenant_id text, url text, description text, event_types text[], channels text[],
      status text, disabled_reason text, disabled_detail text, fifo boolean, metadata jsonb, version int, created_at timestamptz,
      updated_at timestamptz)`,
    of('endpoint', changed).map((c) => endpointRow(c.id, c.stored)),
    `ON CONFLICT (endpoint_id) DO UPDATE SET ${setAll(endpointColumns)}`);
  await insertRows(em, `event_types (tenant_id text, name text, description text, requires_approval boolean, status text,
      deprecated boolean, sunset_at timestamptz, current_version int, version int, created_at timestamptz, updated_at timestamptz)`,
    of('event_type', changed).map((c) => eventTypeRow(c.stored)),
    `ON CONFLICT (tenant_id, name) DO UPDATE SET ${setAll(['description', 'requires_approval', 'status', 'deprecated', 'sunset_at',
      'current_version', 'version', 'updated_at'])}`);
  await writeSources(em, changed);
}

const SOURCE_COLUMNS = ['name', 'description', 'verification_type', 'verification_header', 'verification_algorithm', 'verification_encoding',
  'verification_prefix', 'verification_username', 'verification_tolerance_seconds', 'verification_timestamp_header', 'event_type', 'idempotency',
  'payload_field', 'channels', 'enabled', 'handshake_type', 'rate_limit_per_second', 'rate_limit_burst', 'version', 'updated_at'];

/**
 * Sources: a live one is upserted (never back to an older version), a deleted one loses its row and its refused requests,
 * and so does every source of a deleted tenant (after the tenants table is written, so a tenant deleted in this very batch counts).
 */
async function writeSources(em: EntityManager, changed: Changed): Promise<void> {
  const sources = of('source', changed);
  const statusOf = (c: Changed[number]) => (c.stored.state as SourceState).status;
  await insertRows(em, `sources (tenant_id text, source_id text, name text, description text, verification_type text,
      verification_header text, verification_algorithm text, verification_encoding text, verification_prefix text,
      verification_username text, verification_tolerance_seconds int, verification_timestamp_header text, event_type jsonb,
      idempotency jsonb, payload_field text, channels text[], enabled boolean, handshake_type text, rate_limit_per_second int,
      rate_limit_burst int, version int, created_at timestamptz, updated_at timestamptz)`,
    sources.filter((c) => statusOf(c) === 'active').map((c) => sourceRow(c.id, c.stored)),
    `ON CONFLICT (tenant_id, source_id) DO UPDATE SET ${setAll(SOURCE_COLUMNS)} WHERE sources.version < EXCLUDED.version`);
  const deleted = sources.filter((c) => statusOf(c) === 'deleted');
  if (deleted.length) {
    for (const table of ['sources', 'source_refused_requests']) {
      await em.query(`DELETE FROM ${table} WHERE (tenant_id, source_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [deleted.map((c) => c.stored.tenant_id), deleted.map((c) => c.id)]);
    }
  }
  const tenants = new Set([...sources.map((c) => c.stored.tenant_id),
    ...of('tenant', changed).filter((c) => (c.stored.state as TenantState).status === 'deleted').map((c) => c.id)]);
  if (tenants.size) {
    for (const table of ['sources', 'source_refused_requests']) {
      await em.query(`DELETE FROM ${table} s USING tenants t WHERE s.tenant_id = t.tenant_id AND t.status = 'deleted' AND t.tenant_id = ANY($1)`,
        [[...tenants]]);
    }
  }
}

async function writeAudit(em: EntityManager, rows: AuditRow[]): Promise<void> {
  await insertRows(em, `audit_log (event_id text, tenant_id text, type text, aggregate_kind text, aggregate_id text,
      aggregate_version int, actor_kind text, actor_id text, source text, correlation_id text, before jsonb, after jsonb,
      created_at timestamptz)`,
    rows.map(({ event, kind, aggregateId, before, after }) => [event.id, event.tenant_id, event.type, kind, aggregateId,
      event.aggregate_version ?? null, event.actor?.kind ?? null, event.actor?.id ?? null, event.source, event.correlation_id,
      before, after, event.occurred_at]),
    'ON CONFLICT (event_id) DO NOTHING');
}

/** Resend and recovery requests are operator actions too: they go to the audit log, with no before/after state. */
export async function writeRequestAudit(em: EntityManager, records: ProjectedRecord[]): Promise<void> {
  const fresh = await unseen(em, records);
  await writeAudit(em, fresh.map(({ event }) => {
    const data = event.data as { message_id?: string; endpoint_id?: string };
    return { event, kind: data.message_id ? 'message' : 'endpoint', aggregateId: data.message_id ?? data.endpoint_id ?? '', before: null,
      after: event.data };
  }));
}
