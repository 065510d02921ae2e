import { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CallerInfo, ReadScope } from '../auth/authenticator';
import { Cursor, Page, decodeCursor, toPage } from './cursor';
import { DEFAULT_LIMIT, ListRequest } from './list-request.dto';
import { QueryRuntime } from './query-runtime';
import { checkTimeRange } from './time-range';

/** Where a list starts and how much of it: the request's time range, cursor and page size, checked. */
export interface ListWindow {
  tenantId: string;
  /** The caller is a portal session (the tenant's customer, not the operator). */
  portal: boolean;
  since?: string;
  until?: string;
  cursor: Cursor | null;
  limit: number;
}

/**
 * Runs a list query: checks the time range and the cursor, resolves the caller's tenant (waiting for `position`; see
 * ReadScope for `scope`), and calls `read` in a read transaction with the window every list shares.
 */
export async function listOfTenant<V>(
  runtime: QueryRuntime, caller: CallerInfo, request: ListRequest, read: (em: EntityManager, window: ListWindow) => Promise<Page<V>>,
  scope: ReadScope = 'tenant',
): Promise<Page<V>> {
  checkTimeRange(request.since, request.until);
  const cursor = decodeCursor(request.cursor);
  const { tenantId, portal } = await runtime.scopeOf(caller, request, scope);
  const window = { tenantId, portal, since: request.since, until: request.until, cursor, limit: request.limit ?? DEFAULT_LIMIT };
  return runtime.models.read((em) => read(em, window));
}

export interface KeysetListOptions<E extends ObjectLiteral & { created_at: Date }, V> {
  entity: EntityTarget<E>;
  /** The entity's alias in `filter`'s conditions. */
  alias: string;
  /** The id that orders rows created in the same instant; the cursor carries it with created_at. */
  idColumn: keyof E & string;
  /** The list's own conditions, on top of the tenant, the time range and the cursor. */
  filter?: (qb: SelectQueryBuilder<E>) => void;
  /** The page's rows as the API shows them (may read related rows with `em`). */
  view: (rows: E[], em: EntityManager) => V[] | Promise<V[]>;
}

/** One page of a tenant's rows, newest first, on (created_at, id) below the cursor (see toPage). */
export async function keysetPage<E extends ObjectLiteral & { created_at: Date }, V>(
  em: EntityManager, window: ListWindow, options: KeysetListOptions<E, V>,
): Promise<Page<V>> {
  const { alias: a, idColumn } = options;
  const qb = em.getRepository(options.entity).createQueryBuilder(a).where(`${a}.tenant_id = :tenantId`, { tenantId: window.tenantId });
  options.filter?.(qb);
  if (window.since) qb.andWhere(`${a}.created_at >= :since`, { since: window.since });
  if (window.until) qb.andWhere(`${a}.created_at < :until`, { until: window.until });
  if (window.cursor) qb.andWhere(`(${a}.created_at, ${a}.${idColumn}) < (:at, :id)`, { at: window.cursor.at, id: window.cursor.id });
  const rows = await qb.orderBy(`${a}.created_at`, 'DESC').addOrderBy(`${a}.${idColumn}`, 'DESC').limit(window.limit + 1).getMany();
  const page = toPage(rows, window.limit, (row) => ({ at: row.created_at, id: String(row[idColumn]) }), (row) => row);
  return { data: await options.view(page.data, em), next_cursor: page.next_cursor };
}
