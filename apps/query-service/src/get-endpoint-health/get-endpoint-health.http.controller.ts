import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ApiProblemResponses } from '../transport/openapi-responses';
import { GetEndpointHealthQuery } from './get-endpoint-health.query';
import { GetEndpointHealthRequest } from './get-endpoint-health.request.dto';

@ApiTags('endpoints')
@ApiBearerAuth()
@ApiProblemResponses()
@Controller()
export class GetEndpointHealthHttpController {
  constructor(private readonly query: GetEndpointHealthQuery) {}

  // The tenant may be named in the path, like the command service's /v1/tenants/{id}/… routes, or as ?tenant_id=.
  @Get(['v1/endpoints/:endpoint_id/health', 'v1/tenants/:tenant_id/endpoints/:endpoint_id/health'])
  @ApiOperation({ summary: 'Get an endpoint\'s delivery health', description: 'Attempts, success rate, p50/p95 latency, status codes, breaker, auto-disable and client certificate expiry.' })
  @ApiOkResponse({ description: 'The endpoint\'s health.' })
  // Documents the DTO's query parameters; parseRequest validates them, as for gRPC.
  @ApiQuery({ type: GetEndpointHealthRequest })
  get(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(GetEndpointHealthRequest, { ...params, ...path }));
  }
}
