import { Body, Controller, Inject, Param, Patch, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { UpdateEventTypeHandler } from './update-event-type.handler';
import { UpdateEventTypeRequest } from './update-event-type.request.dto';

@ApiTags('event-types')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/event-types')
export class UpdateEventTypeHttpController {
  constructor(@Inject(UpdateEventTypeHandler) private readonly handler: UpdateEventTypeHandler) {}

  @Patch(':name')
  update(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('name') name: string, @Body() body: UpdateEventTypeRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, name, body);
  }
}
