import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ApiPageResponse, ApiProblemResponses } from '../transport/openapi-responses';
import { ListEndpointsQuery } from './list-endpoints.query';
import { ListEndpointsRequest } from './list-endpoints.request.dto';

@ApiTags('endpoints')
@ApiBearerAuth()
@ApiProblemResponses()
@Controller()
export class ListEndpointsHttpController {
  constructor(private readonly query: ListEndpointsQuery) {}

  @Get(['v1/endpoints', 'v1/tenants/:tenant_id/endpoints'])
  @ApiOperation({ summary: 'List endpoints', description: 'Their settings; nothing sealed (secrets by id, credential-like header values masked).' })
  @ApiPageResponse('endpoints')
  // Documents the DTO's query parameters; parseRequest validates them, as for gRPC.
  @ApiQuery({ type: ListEndpointsRequest })
  list(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(ListEndpointsRequest, { ...params, ...path }));
  }
}
