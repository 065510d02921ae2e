import { Injectable } from '@nestjs/common';
import { CallerInfo } from '../auth/authenticator';
import { attemptsPage } from '../shared/attempts-page';
import { Page, decodeCursor } from '../shared/cursor';
import { assertEndpointOfTenant } from '../shared/endpoint-scope';
import { DEFAULT_LIMIT } from '../shared/list-request.dto';
import { QueryRuntime } from '../shared/query-runtime';
import { checkTimeRange } from '../shared/time-range';
import { AttemptView } from '../shared/views';
import { ListEndpointAttemptsRequest } from './list-endpoint-attempts.request.dto';

/** Every delivery attempt to one endpoint, newest first. */
@Injectable()
export class ListEndpointAttemptsQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  async execute(caller: CallerInfo, request: ListEndpointAttemptsRequest): Promise<Page<AttemptView>> {
    checkTimeRange(request.since, request.until);
    const cursor = decodeCursor(request.cursor);
    const tenantId = await this.runtime.scope(caller, request);
    return this.runtime.models.read(async (em) => {
      await assertEndpointOfTenant(em, tenantId, request.endpoint_id);
      return attemptsPage(em, { tenantId, endpointId: request.endpoint_id, since: request.since, until: request.until, cursor,
        limit: request.limit ?? DEFAULT_LIMIT });
    });
  }
}
