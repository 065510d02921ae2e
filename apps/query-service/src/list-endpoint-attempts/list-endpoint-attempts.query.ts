import { Injectable } from '@nestjs/common';
import { CallerInfo } from '../auth/authenticator';
import { attemptsPage } from '../shared/attempts-page';
import { Page } from '../shared/cursor';
import { assertEndpointOfTenant } from '../shared/endpoint-scope';
import { listOfTenant } from '../shared/keyset-list';
import { QueryRuntime } from '../shared/query-runtime';
import { AttemptView } from '../shared/views';
import { ListEndpointAttemptsRequest } from './list-endpoint-attempts.request.dto';

/** Every delivery attempt to one endpoint, newest first. */
@Injectable()
export class ListEndpointAttemptsQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  execute(caller: CallerInfo, request: ListEndpointAttemptsRequest): Promise<Page<AttemptView>> {
    return listOfTenant(this.runtime, caller, request, async (em, window) => {
      await assertEndpointOfTenant(em, window.tenantId, request.endpoint_id);
      return attemptsPage(em, window, { endpointId: request.endpoint_id, filters: request });
    });
  }
}
