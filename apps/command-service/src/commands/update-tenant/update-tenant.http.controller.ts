import { Body, Controller, Inject, Param, Patch, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { UpdateTenantHandler } from './update-tenant.handler';
import { UpdateTenantRequest } from './update-tenant.request.dto';

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('v1/tenants')
export class UpdateTenantHttpController {
  constructor(@Inject(UpdateTenantHandler) private readonly handler: UpdateTenantHandler) {}

  @Patch(':tenantId')
  update(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Body() body: UpdateTenantRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, body);
  }
}
