import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ApiPageResponse, ApiProblemResponses } from '../transport/openapi-responses';
import { ListMessageAttemptsQuery } from './list-message-attempts.query';
import { ListMessageAttemptsRequest } from './list-message-attempts.request.dto';

@ApiTags('attempts')
@ApiBearerAuth()
@ApiProblemResponses()
@Controller()
export class ListMessageAttemptsHttpController {
  constructor(private readonly query: ListMessageAttemptsQuery) {}

  // The tenant may be named in the path, like the command service's /v1/tenants/{id}/… routes, or as ?tenant_id=.
  @Get(['v1/messages/:message_id/attempts', 'v1/tenants/:tenant_id/messages/:message_id/attempts'])
  @ApiOperation({ summary: 'List a message\'s delivery attempts' })
  @ApiPageResponse('attempts')
  // Documents the DTO's query parameters; parseRequest validates them, as for gRPC.
  @ApiQuery({ type: ListMessageAttemptsRequest })
  list(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(ListMessageAttemptsRequest, { ...params, ...path }));
  }
}
