import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ApiProblemResponses } from '../transport/openapi-responses';
import { GetEndpointStatsQuery } from './get-endpoint-stats.query';
import { GetEndpointStatsRequest } from './get-endpoint-stats.request.dto';

@ApiTags('endpoints')
@ApiBearerAuth()
@ApiProblemResponses()
@Controller()
export class GetEndpointStatsHttpController {
  constructor(private readonly query: GetEndpointStatsQuery) {}

  @Get(['v1/endpoints/:endpoint_id/stats', 'v1/tenants/:tenant_id/endpoints/:endpoint_id/stats'])
  @ApiOperation({
    summary: 'Get an endpoint\'s delivery statistics over time',
    description: 'Attempts, successes, failures and p50/p95 latency per UTC hour or day over a window (default: the last 24 hours), every bucket listed.',
  })
  @ApiOkResponse({ description: 'The endpoint\'s statistics.' })
  @ApiQuery({ type: GetEndpointStatsRequest })
  get(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(GetEndpointStatsRequest, { ...params, ...path }));
  }
}
