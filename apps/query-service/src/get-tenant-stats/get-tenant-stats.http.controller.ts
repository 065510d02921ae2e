import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ApiProblemResponses } from '../transport/openapi-responses';
import { GetTenantStatsQuery } from './get-tenant-stats.query';
import { GetTenantStatsRequest } from './get-tenant-stats.request.dto';

@ApiTags('stats')
@ApiBearerAuth()
@ApiProblemResponses()
@Controller()
export class GetTenantStatsHttpController {
  constructor(private readonly query: GetTenantStatsQuery) {}

  @Get(['v1/stats', 'v1/tenants/:tenant_id/stats'])
  @ApiOperation({
    summary: 'Get the tenant\'s delivery statistics over time',
    description: 'Attempts, successes and failures over all the tenant\'s endpoints per UTC hour or day over a window (default: the '
      + 'last 24 hours), every bucket listed, with the window\'s totals.',
  })
  @ApiOkResponse({ description: 'The tenant\'s statistics.' })
  @ApiQuery({ type: GetTenantStatsRequest })
  get(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(GetTenantStatsRequest, { ...params, ...path }));
  }
}
