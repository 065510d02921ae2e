import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { GetMessageQuery } from './get-message.query';
import { GetMessageRequest } from './get-message.request.dto';

@Controller()
export class GetMessageHttpController {
  constructor(private readonly query: GetMessageQuery) {}

  // The tenant may be named in the path, like the command service's /v1/tenants/{id}/… routes, or as ?tenant_id=.
  @Get(['v1/messages/:message_id', 'v1/tenants/:tenant_id/messages/:message_id'])
  get(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(GetMessageRequest, { ...params, ...path }));
  }
}
