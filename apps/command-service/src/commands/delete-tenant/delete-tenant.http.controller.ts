import { Controller, Delete, Inject, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { DeleteTenantHandler } from './delete-tenant.handler';

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('v1/tenants')
export class DeleteTenantHttpController {
  constructor(@Inject(DeleteTenantHandler) private readonly handler: DeleteTenantHandler) {}

  @Delete(':tenantId')
  remove(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string) {
    return this.handler.execute(httpContext(req, auth), tenantId);
  }
}
