import { Injectable } from '@nestjs/common';
import { ProblemError } from '@hookline/service-kit';
import { CallerInfo } from '../auth/authenticator';
import { EndpointEntity } from '../database/read-model/entities';
import { endpointViews } from '../shared/endpoint-states';
import { EndpointView } from '../shared/endpoint-view';
import { QueryRuntime } from '../shared/query-runtime';
import { GetEndpointRequest } from './get-endpoint.request.dto';

/** One endpoint of the tenant with its settings (credentials redacted); another tenant's id is a 404 like a missing one. */
@Injectable()
export class GetEndpointQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  async execute(caller: CallerInfo, request: GetEndpointRequest): Promise<EndpointView> {
    const tenantId = await this.runtime.scope(caller, request);
    return this.runtime.models.read(async (em) => {
      const row = await em.getRepository(EndpointEntity).findOneBy({ tenant_id: tenantId, endpoint_id: request.endpoint_id });
      if (!row) throw new ProblemError('not_found', `endpoint ${request.endpoint_id} not found`);
      const [view] = await endpointViews(em, tenantId, [row]);
      return view;
    });
  }
}
