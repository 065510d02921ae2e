import { Controller, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { RotateEndpointSecretHandler } from './rotate-endpoint-secret.handler';

@ApiTags('endpoints')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/endpoints')
export class RotateEndpointSecretHttpController {
  constructor(@Inject(RotateEndpointSecretHandler) private readonly handler: RotateEndpointSecretHandler) {}

  @Post(':endpointId/rotate-secret')
  rotate(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('endpointId') endpointId: string) {
    return this.handler.execute(httpContext(req, auth), tenantId, endpointId);
  }
}
