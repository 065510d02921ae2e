import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ApiPageResponse, ApiProblemResponses } from '../transport/openapi-responses';
import { ListMessagesQuery } from './list-messages.query';
import { ListMessagesRequest } from './list-messages.request.dto';

@ApiTags('messages')
@ApiBearerAuth()
@ApiProblemResponses()
@Controller()
export class ListMessagesHttpController {
  constructor(private readonly query: ListMessagesQuery) {}

  // GET /v1/messages?status=&event_type=&endpoint_id=&channel=&since=&until=&limit=&cursor=&position=&tenant_id=
  // The tenant may be named in the path, like the command service's /v1/tenants/{id}/… routes, or as ?tenant_id=.
  @Get(['v1/messages', 'v1/tenants/:tenant_id/messages'])
  @ApiOperation({ summary: 'List messages', description: 'Each with its deliveries (one per endpoint) and their status.' })
  @ApiPageResponse('messages')
  // Documents the DTO's query parameters; parseRequest validates them, as for gRPC.
  @ApiQuery({ type: ListMessagesRequest })
  list(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(ListMessagesRequest, { ...params, ...path }));
  }
}
