import { Injectable } from '@nestjs/common';
import { CallerInfo } from '../auth/authenticator';
import { EndpointEntity } from '../database/read-model/entities';
import { Page } from '../shared/cursor';
import { endpointViews } from '../shared/endpoint-states';
import { EndpointView } from '../shared/endpoint-view';
import { keysetPage, listOfTenant } from '../shared/keyset-list';
import { QueryRuntime } from '../shared/query-runtime';
import { ListEndpointsRequest } from './list-endpoints.request.dto';

/**
 * An endpoint of every type awaits approval for a type that needs it when its folded state records what it was approved
 * for (config_states; absent on endpoints from before that was kept, which await nothing) and that record lacks one of
 * the tenant's types needing approval, one not declined for it either: typesAwaitingApproval in libs/domain, as SQL.
 */
const AWAITING_APPROVAL = `SELECT 1 FROM config_states cs JOIN event_types t ON t.tenant_id = e.tenant_id
   WHERE cs.aggregate_key = 'endpoint:' || e.endpoint_id AND e.event_types IS NULL
     AND cs.state->'state' ? 'approvedEventTypes' AND NOT (cs.state->'state'->'approvedEventTypes' ? t.name)
     AND NOT COALESCE(cs.state->'state'->'declinedEventTypes' ? t.name, false)
     AND t.requires_approval AND t.status = 'active'`;

/** A tenant's endpoints, newest first, with their settings (credentials redacted, see endpointView). */
@Injectable()
export class ListEndpointsQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  execute(caller: CallerInfo, request: ListEndpointsRequest): Promise<Page<EndpointView>> {
    return listOfTenant(this.runtime, caller, request, (em, window) => keysetPage(em, window, {
      entity: EndpointEntity, alias: 'e', idColumn: 'endpoint_id',
      filter: (qb) => {
        const byStatus = request.status ? qb.andWhere('e.status = :status', { status: request.status }) : qb.andWhere(`e.status <> 'deleted'`);
        if (request.awaiting_approval === undefined) return byStatus;
        return byStatus.andWhere(`${request.awaiting_approval ? '' : 'NOT '}EXISTS (${AWAITING_APPROVAL})`);
      },
      view: (rows, read) => endpointViews(read, window.tenantId, rows),
    }));
  }
}
