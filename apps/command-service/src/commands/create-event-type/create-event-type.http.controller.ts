import { Body, Controller, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { CreateEventTypeHandler } from './create-event-type.handler';
import { CreateEventTypeRequest } from './create-event-type.request.dto';

@ApiTags('event-types')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/event-types')
export class CreateEventTypeHttpController {
  constructor(@Inject(CreateEventTypeHandler) private readonly handler: CreateEventTypeHandler) {}

  @Post()
  create(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Body() body: CreateEventTypeRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, body);
  }
}
