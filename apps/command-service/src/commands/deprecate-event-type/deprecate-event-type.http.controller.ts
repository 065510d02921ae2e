import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { DeprecateEventTypeHandler } from './deprecate-event-type.handler';
import { DeprecateEventTypeRequest } from './deprecate-event-type.request.dto';

@ApiTags('event-types')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/event-types/:name/deprecate')
export class DeprecateEventTypeHttpController {
  constructor(@Inject(DeprecateEventTypeHandler) private readonly handler: DeprecateEventTypeHandler) {}

  @Post()
  // An action on an existing resource: nothing is created, so 200 with its new state (not Nest's default 201 for POST).
  @HttpCode(200)
  deprecate(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('name') name: string, @Body() body: DeprecateEventTypeRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, name, body);
  }
}
