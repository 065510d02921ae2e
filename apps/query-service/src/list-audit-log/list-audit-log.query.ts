import { Injectable } from '@nestjs/common';
import { CallerInfo } from '../auth/authenticator';
import { AuditEntryEntity } from '../database/read-model/entities';
import { Page } from '../shared/cursor';
import { keysetPage, listOfTenant } from '../shared/keyset-list';
import { QueryRuntime } from '../shared/query-runtime';
import { iso } from '../shared/views';
import { ListAuditLogRequest } from './list-audit-log.request.dto';

function auditView(a: AuditEntryEntity) {
  return { event_id: a.event_id, type: a.type, aggregate_kind: a.aggregate_kind, aggregate_id: a.aggregate_id,
    aggregate_version: a.aggregate_version, actor: a.actor_kind ? { kind: a.actor_kind, id: a.actor_id } : null, source: a.source,
    correlation_id: a.correlation_id, before: a.before ?? null, after: a.after ?? null, created_at: iso(a.created_at)! };
}
export type AuditEntryView = ReturnType<typeof auditView>;

/**
 * Every configuration change of a tenant: who, what, when, and the state before and after, newest first. A portal
 * session is shown no change of an HTTP source, which it may not read (ReadScope 'operator').
 */
@Injectable()
export class ListAuditLogQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  execute(caller: CallerInfo, request: ListAuditLogRequest): Promise<Page<AuditEntryView>> {
    return listOfTenant(this.runtime, caller, request, (em, window) => keysetPage(em, window, {
      entity: AuditEntryEntity, alias: 'a', idColumn: 'event_id',
      filter: (qb) => {
        if (request.aggregate_id) qb.andWhere('a.aggregate_id = :aggregateId', { aggregateId: request.aggregate_id });
        if (request.type) qb.andWhere('a.type = :type', { type: request.type });
        if (window.portal) qb.andWhere(`a.aggregate_kind <> 'source'`);
      },
      view: (rows) => rows.map(auditView),
    }));
  }
}
