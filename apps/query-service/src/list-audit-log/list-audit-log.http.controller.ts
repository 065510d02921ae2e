import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { parseRequest } from '../shared/parse-request';
import { httpCaller } from '../transport/caller';
import { ApiPageResponse, ApiProblemResponses } from '../transport/openapi-responses';
import { ListAuditLogQuery } from './list-audit-log.query';
import { ListAuditLogRequest } from './list-audit-log.request.dto';

@ApiTags('audit log')
@ApiBearerAuth()
@ApiProblemResponses()
@Controller()
export class ListAuditLogHttpController {
  constructor(private readonly query: ListAuditLogQuery) {}

  // The tenant may be named in the path, like the command service's /v1/tenants/{id}/… routes, or as ?tenant_id=.
  @Get(['v1/audit-log', 'v1/tenants/:tenant_id/audit-log'])
  @ApiOperation({ summary: 'List the audit log', description: 'Configuration changes, with the state before and after (sealed secrets and key hashes left out).' })
  @ApiPageResponse('audit entries')
  // Documents the DTO's query parameters; parseRequest validates them, as for gRPC.
  @ApiQuery({ type: ListAuditLogRequest })
  list(@Req() req: Request, @Param() path: Record<string, string>, @Query() params: Record<string, unknown>) {
    return this.query.execute(httpCaller(req), parseRequest(ListAuditLogRequest, { ...params, ...path }));
  }
}
