import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { GetEndpointQuery } from './get-endpoint.query';
import { GetEndpointRequest } from './get-endpoint.request.dto';

@Controller()
export class GetEndpointHttpController {
  constructor(private readonly query: GetEndpointQuery) {}

  @Get(['v1/endpoints/:endpoint_id', 'v1/tenants/:tenant_id/endpoints/:endpoint_id'])
  get(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(GetEndpointRequest, { ...params, ...path }));
  }
}
