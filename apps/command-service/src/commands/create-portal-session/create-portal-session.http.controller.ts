import { Body, Controller, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { CreatePortalSessionHandler } from './create-portal-session.handler';
import { CreatePortalSessionRequest } from './create-portal-session.request.dto';

@ApiTags('portal')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/portal-sessions')
export class CreatePortalSessionHttpController {
  constructor(@Inject(CreatePortalSessionHandler) private readonly handler: CreatePortalSessionHandler) {}

  @Post()
  create(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Body() body: CreatePortalSessionRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, body);
  }
}
