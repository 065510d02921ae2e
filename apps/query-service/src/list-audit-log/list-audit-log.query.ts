import { Injectable } from '@nestjs/common';
import { CallerInfo } from '../auth/authenticator';
import { AuditEntryEntity } from '../database/read-model/entities';
import { Page, decodeCursor, toPage } from '../shared/cursor';
import { DEFAULT_LIMIT } from '../shared/list-request.dto';
import { QueryRuntime } from '../shared/query-runtime';
import { checkTimeRange } from '../shared/time-range';
import { iso } from '../shared/views';
import { ListAuditLogRequest } from './list-audit-log.request.dto';

function auditView(a: AuditEntryEntity) {
  return { event_id: a.event_id, type: a.type, aggregate_kind: a.aggregate_kind, aggregate_id: a.aggregate_id,
    aggregate_version: a.aggregate_version, actor: a.actor_kind ? { kind: a.actor_kind, id: a.actor_id } : null, source: a.source,
    correlation_id: a.correlation_id, before: a.before ?? null, after: a.after ?? null, created_at: iso(a.created_at)! };
}
export type AuditEntryView = ReturnType<typeof auditView>;

/** Every configuration change of a tenant: who, what, when, and the state before and after, newest first. */
@Injectable()
export class ListAuditLogQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  async execute(caller: CallerInfo, request: ListAuditLogRequest): Promise<Page<AuditEntryView>> {
    checkTimeRange(request.since, request.until);
    const cursor = decodeCursor(request.cursor);
    const limit = request.limit ?? DEFAULT_LIMIT;
    const tenantId = await this.runtime.scope(caller, request);
    return this.runtime.models.read(async (em) => {
      const qb = em.getRepository(AuditEntryEntity).createQueryBuilder('a').where('a.tenant_id = :tenantId', { tenantId });
      if (request.aggregate_id) qb.andWhere('a.aggregate_id = :aggregateId', { aggregateId: request.aggregate_id });
      if (request.type) qb.andWhere('a.type = :type', { type: request.type });
      if (request.since) qb.andWhere('a.created_at >= :since', { since: request.since });
      if (request.until) qb.andWhere('a.created_at < :until', { until: request.until });
      if (cursor) qb.andWhere('(a.created_at, a.event_id) < (:at, :id)', { at: cursor.at, id: cursor.id });
      const rows = await qb.orderBy('a.created_at', 'DESC').addOrderBy('a.event_id', 'DESC').limit(limit + 1).getMany();
      return toPage(rows, limit, (a) => ({ at: a.created_at, id: a.event_id }), auditView);
    });
  }
}
