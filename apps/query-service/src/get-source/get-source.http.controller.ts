import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ApiProblemResponses } from '../transport/openapi-responses';
import { GetSourceQuery } from './get-source.query';
import { GetSourceRequest } from './get-source.request.dto';

@ApiTags('sources')
@ApiBearerAuth()
@ApiProblemResponses()
@Controller()
export class GetSourceHttpController {
  constructor(private readonly query: GetSourceQuery) {}

  @Get(['v1/sources/:source_id', 'v1/tenants/:tenant_id/sources/:source_id'])
  @ApiOperation({ summary: 'Get an HTTP source', description: 'Tenant and admin keys only: a portal session is refused (403).' })
  @ApiOkResponse({ description: 'The source\'s settings and `ingest_url`; its verification without any secret.' })
  // Documents the DTO's query parameters; parseRequest validates them, as for gRPC.
  @ApiQuery({ type: GetSourceRequest })
  get(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(GetSourceRequest, { ...params, ...path }));
  }
}
