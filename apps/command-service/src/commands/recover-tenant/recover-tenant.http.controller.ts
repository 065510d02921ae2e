import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { RecoverEndpointRequest } from '../recover-endpoint/recover-endpoint.request.dto';
import { RecoverTenantHandler } from './recover-tenant.handler';

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('v1/tenants')
export class RecoverTenantHttpController {
  constructor(@Inject(RecoverTenantHandler) private readonly handler: RecoverTenantHandler) {}

  @Post(':tenantId/recover')
  @HttpCode(202)
  recover(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Body() body: RecoverEndpointRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, body);
  }
}
