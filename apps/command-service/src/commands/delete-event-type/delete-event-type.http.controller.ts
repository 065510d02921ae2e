import { Controller, Delete, Inject, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { DeleteEventTypeHandler } from './delete-event-type.handler';

@ApiTags('event-types')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/event-types')
export class DeleteEventTypeHttpController {
  constructor(@Inject(DeleteEventTypeHandler) private readonly handler: DeleteEventTypeHandler) {}

  @Delete(':name')
  remove(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('name') name: string) {
    return this.handler.execute(httpContext(req, auth), tenantId, name);
  }
}
