import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ApiPageResponse, ApiProblemResponses } from '../transport/openapi-responses';
import { ListDeadLettersQuery } from './list-dead-letters.query';
import { ListDeadLettersRequest } from './list-dead-letters.request.dto';

@ApiTags('dead letters')
@ApiBearerAuth()
@ApiProblemResponses()
@Controller()
export class ListDeadLettersHttpController {
  constructor(private readonly query: ListDeadLettersQuery) {}

  // The tenant may be named in the path, like the command service's /v1/tenants/{id}/… routes, or as ?tenant_id=.
  @Get(['v1/dead-letters', 'v1/tenants/:tenant_id/dead-letters'])
  @ApiOperation({ summary: 'List dead letters' })
  @ApiPageResponse('dead letters')
  // Documents the DTO's query parameters; parseRequest validates them, as for gRPC.
  @ApiQuery({ type: ListDeadLettersRequest })
  list(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(ListDeadLettersRequest, { ...params, ...path }));
  }
}
