import { Injectable } from '@nestjs/common';
import { CallerInfo } from '../auth/authenticator';
import { EndpointEntity } from '../database/read-model/entities';
import { Page } from '../shared/cursor';
import { endpointViews } from '../shared/endpoint-states';
import { EndpointView } from '../shared/endpoint-view';
import { keysetPage, listOfTenant } from '../shared/keyset-list';
import { QueryRuntime } from '../shared/query-runtime';
import { ListEndpointsRequest } from './list-endpoints.request.dto';

/** A tenant's endpoints, newest first, with their settings (credentials redacted, see endpointView). */
@Injectable()
export class ListEndpointsQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  execute(caller: CallerInfo, request: ListEndpointsRequest): Promise<Page<EndpointView>> {
    return listOfTenant(this.runtime, caller, request, (em, window) => keysetPage(em, window, {
      entity: EndpointEntity, alias: 'e', idColumn: 'endpoint_id',
      filter: (qb) => (request.status ? qb.andWhere('e.status = :status', { status: request.status }) : qb.andWhere(`e.status <> 'deleted'`)),
      view: (rows, read) => endpointViews(read, window.tenantId, rows),
    }));
  }
}
