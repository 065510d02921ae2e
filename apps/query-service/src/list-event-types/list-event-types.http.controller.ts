import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ListEventTypesQuery } from './list-event-types.query';
import { ListEventTypesRequest } from './list-event-types.request.dto';

@Controller()
export class ListEventTypesHttpController {
  constructor(private readonly query: ListEventTypesQuery) {}

  // The tenant may be named in the path, like the command service's /v1/tenants/{id}/… routes, or as ?tenant_id=.
  @Get(['v1/event-types', 'v1/tenants/:tenant_id/event-types'])
  list(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(ListEventTypesRequest, { ...params, ...path }));
  }
}
