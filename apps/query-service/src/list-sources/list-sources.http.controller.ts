import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ApiPageResponse, ApiProblemResponses } from '../transport/openapi-responses';
import { ListSourcesQuery } from './list-sources.query';
import { ListSourcesRequest } from './list-sources.request.dto';

@ApiTags('sources')
@ApiBearerAuth()
@ApiProblemResponses()
@Controller()
export class ListSourcesHttpController {
  constructor(private readonly query: ListSourcesQuery) {}

  @Get(['v1/sources', 'v1/tenants/:tenant_id/sources'])
  @ApiOperation({
    summary: 'List HTTP sources',
    description: 'Where providers\' webhooks come in (`ingest_url`), how each is verified (never a secret) and made a message. '
      + 'Tenant and admin keys only: a portal session is refused (403).',
  })
  @ApiPageResponse('HTTP sources')
  // Documents the DTO's query parameters; parseRequest validates them, as for gRPC.
  @ApiQuery({ type: ListSourcesRequest })
  list(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(ListSourcesRequest, { ...params, ...path }));
  }
}
