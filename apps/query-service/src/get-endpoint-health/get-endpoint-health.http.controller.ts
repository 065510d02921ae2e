import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { GetEndpointHealthQuery } from './get-endpoint-health.query';
import { GetEndpointHealthRequest } from './get-endpoint-health.request.dto';

@Controller()
export class GetEndpointHealthHttpController {
  constructor(private readonly query: GetEndpointHealthQuery) {}

  // The tenant may be named in the path, like the command service's /v1/tenants/{id}/… routes, or as ?tenant_id=.
  @Get(['v1/endpoints/:endpoint_id/health', 'v1/tenants/:tenant_id/endpoints/:endpoint_id/health'])
  get(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(GetEndpointHealthRequest, { ...params, ...path }));
  }
}
