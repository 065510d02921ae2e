import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ListEndpointsQuery } from './list-endpoints.query';
import { ListEndpointsRequest } from './list-endpoints.request.dto';

@Controller()
export class ListEndpointsHttpController {
  constructor(private readonly query: ListEndpointsQuery) {}

  @Get(['v1/endpoints', 'v1/tenants/:tenant_id/endpoints'])
  list(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(ListEndpointsRequest, { ...params, ...path }));
  }
}
