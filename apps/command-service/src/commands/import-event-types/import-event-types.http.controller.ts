import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { ImportEventTypesHandler } from './import-event-types.handler';
import { ImportEventTypesRequest } from './import-event-types.request.dto';

/** The import's route: its body is read with OPENAPI_IMPORT_MAX_BYTES, not the limit of every other request (server.ts). */
export const OPENAPI_IMPORT_PATH = /^\/v1\/tenants\/[^/]+\/event-types\/import-openapi\/?$/;

@ApiTags('event-types')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/event-types/import-openapi')
export class ImportEventTypesHttpController {
  constructor(@Inject(ImportEventTypesHandler) private readonly handler: ImportEventTypesHandler) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create event types from the webhooks of an OpenAPI 3.1 or 3.0 document, all or nothing; answers what was created, updated and skipped',
  })
  import(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Body() body: ImportEventTypesRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, body);
  }
}
