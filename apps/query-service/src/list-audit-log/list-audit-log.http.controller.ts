import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ListAuditLogQuery } from './list-audit-log.query';
import { ListAuditLogRequest } from './list-audit-log.request.dto';

@Controller()
export class ListAuditLogHttpController {
  constructor(private readonly query: ListAuditLogQuery) {}

  // The tenant may be named in the path, like the command service's /v1/tenants/{id}/… routes, or as ?tenant_id=.
  @Get(['v1/audit-log', 'v1/tenants/:tenant_id/audit-log'])
  list(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(ListAuditLogRequest, { ...params, ...path }));
  }
}
