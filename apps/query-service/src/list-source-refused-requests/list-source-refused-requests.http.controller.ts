import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ApiPageResponse, ApiProblemResponses } from '../transport/openapi-responses';
import { ListSourceRefusedRequestsQuery } from './list-source-refused-requests.query';
import { ListSourceRefusedRequestsRequest } from './list-source-refused-requests.request.dto';

@ApiTags('sources')
@ApiBearerAuth()
@ApiProblemResponses()
@Controller()
export class ListSourceRefusedRequestsHttpController {
  constructor(private readonly query: ListSourceRefusedRequestsQuery) {}

  @Get(['v1/sources/:source_id/refused-requests', 'v1/tenants/:tenant_id/sources/:source_id/refused-requests'])
  @ApiOperation({
    summary: 'List the requests an HTTP source refused',
    description: 'Newest first: the status and problem the provider got, why (`outcome`, `reason`), and the request\'s headers '
      + '(credentials redacted), query and first 2 KiB of body. Recorded by the command service at most '
      + 'SOURCE_REFUSALS_RECORDED_PER_MINUTE per source and minute; `not_recorded` counts those left out before each. '
      + 'Tenant and admin keys only: a portal session is refused (403).',
  })
  @ApiPageResponse('refused requests')
  // Documents the DTO's query parameters; parseRequest validates them, as for gRPC.
  @ApiQuery({ type: ListSourceRefusedRequestsRequest })
  list(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(ListSourceRefusedRequestsRequest, { ...params, ...path }));
  }
}
