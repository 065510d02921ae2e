import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ApiPageResponse, ApiProblemResponses } from '../transport/openapi-responses';
import { ListEventTypesQuery } from './list-event-types.query';
import { ListEventTypesRequest } from './list-event-types.request.dto';

@ApiTags('event types')
@ApiBearerAuth()
@ApiProblemResponses()
@Controller()
export class ListEventTypesHttpController {
  constructor(private readonly query: ListEventTypesQuery) {}

  // The tenant may be named in the path, like the command service's /v1/tenants/{id}/… routes, or as ?tenant_id=.
  @Get(['v1/event-types', 'v1/tenants/:tenant_id/event-types'])
  @ApiOperation({ summary: 'List event types', description: 'The catalog, with each type\'s schema versions.' })
  @ApiPageResponse('event types')
  // Documents the DTO's query parameters; parseRequest validates them, as for gRPC.
  @ApiQuery({ type: ListEventTypesRequest })
  list(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(ListEventTypesRequest, { ...params, ...path }));
  }
}
