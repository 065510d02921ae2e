import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { DeclineEventTypesHandler } from './decline-event-types.handler';
import { DeclineEventTypesRequest } from './decline-event-types.request.dto';

@ApiTags('endpoints')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/endpoints')
export class DeclineEventTypesHttpController {
  constructor(@Inject(DeclineEventTypesHandler) private readonly handler: DeclineEventTypesHandler) {}

  @Post(':endpointId/decline-event-types')
  // An action on an existing resource: nothing is created, so 200 with its new state (not Nest's default 201 for POST).
  @HttpCode(200)
  handle(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('endpointId') endpointId: string, @Body() body: DeclineEventTypesRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, endpointId, body);
  }
}
