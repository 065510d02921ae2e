import { Injectable } from '@nestjs/common';
import { ProblemError } from '@hookline/service-kit';
import { CallerInfo } from '../auth/authenticator';
import { SourceEntity, SourceRefusedRequestEntity } from '../database/read-model/entities';
import { Page } from '../shared/cursor';
import { keysetPage, listOfTenant } from '../shared/keyset-list';
import { QueryRuntime } from '../shared/query-runtime';
import { iso } from '../shared/views';
import { ListSourceRefusedRequestsRequest } from './list-source-refused-requests.request.dto';

export function refusedRequestView(r: SourceRefusedRequestEntity) {
  return {
    id: r.event_id, source_id: r.source_id, received_at: iso(r.created_at)!, method: r.method, status: r.status, outcome: r.outcome,
    reason: r.reason, detail: r.detail, headers: r.headers, query: r.query, content_type: r.content_type, body_bytes: r.body_bytes,
    body_excerpt: r.body_excerpt, body_truncated: r.body_truncated, not_recorded: r.not_recorded,
  };
}
export type RefusedRequestView = ReturnType<typeof refusedRequestView>;

/**
 * Requests an HTTP source refused, newest first: what status and problem the provider got and why, with the request's
 * headers (credentials redacted), query and the start of its body, so a tenant finds a wrong secret or a provider's
 * changed format without the command service's logs. Sampled by the command service (`not_recorded` counts the
 * refusals left out before each). The operator's configuration, like the source: no portal session. A source that does
 * not exist (or no longer does, or is another tenant's) is a 404, not an empty list.
 */
@Injectable()
export class ListSourceRefusedRequestsQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  execute(caller: CallerInfo, request: ListSourceRefusedRequestsRequest): Promise<Page<RefusedRequestView>> {
    return listOfTenant(this.runtime, caller, request, async (em, window) => {
      const source = await em.getRepository(SourceEntity).findOneBy({ tenant_id: window.tenantId, source_id: request.source_id });
      if (!source) throw new ProblemError('not_found', `source ${request.source_id} not found`);
      return keysetPage(em, window, {
        entity: SourceRefusedRequestEntity, alias: 'r', idColumn: 'event_id',
        filter: (qb) => {
          qb.andWhere('r.source_id = :sourceId', { sourceId: request.source_id });
          if (request.outcome) qb.andWhere('r.outcome = :outcome', { outcome: request.outcome });
        },
        view: (rows) => rows.map(refusedRequestView),
      });
    }, 'operator');
  }
}
