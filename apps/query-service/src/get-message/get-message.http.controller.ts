import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ApiProblemResponses } from '../transport/openapi-responses';
import { GetMessageQuery } from './get-message.query';
import { GetMessageRequest } from './get-message.request.dto';

@ApiTags('messages')
@ApiBearerAuth()
@ApiProblemResponses()
@Controller()
export class GetMessageHttpController {
  constructor(private readonly query: GetMessageQuery) {}

  // The tenant may be named in the path, like the command service's /v1/tenants/{id}/… routes, or as ?tenant_id=.
  @Get(['v1/messages/:message_id', 'v1/tenants/:tenant_id/messages/:message_id'])
  @ApiOperation({ summary: 'Get a message', description: 'With its payload (null once purged or expunged) and per-endpoint delivery status.' })
  @ApiOkResponse({ description: 'The message.' })
  // Documents the DTO's query parameters; parseRequest validates them, as for gRPC.
  @ApiQuery({ type: GetMessageRequest })
  get(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(GetMessageRequest, { ...params, ...path }));
  }
}
