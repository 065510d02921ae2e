import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ApiProblemResponses } from '../transport/openapi-responses';
import { GetEndpointQuery } from './get-endpoint.query';
import { GetEndpointRequest } from './get-endpoint.request.dto';

@ApiTags('endpoints')
@ApiBearerAuth()
@ApiProblemResponses()
@Controller()
export class GetEndpointHttpController {
  constructor(private readonly query: GetEndpointQuery) {}

  @Get(['v1/endpoints/:endpoint_id', 'v1/tenants/:tenant_id/endpoints/:endpoint_id'])
  @ApiOperation({ summary: 'Get an endpoint' })
  @ApiOkResponse({ description: 'The endpoint\'s settings; nothing sealed.' })
  // Documents the DTO's query parameters; parseRequest validates them, as for gRPC.
  @ApiQuery({ type: GetEndpointRequest })
  get(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(GetEndpointRequest, { ...params, ...path }));
  }
}
