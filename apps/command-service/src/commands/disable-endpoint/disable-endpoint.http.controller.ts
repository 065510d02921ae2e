import { Body, Controller, Post, Inject, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { DisableEndpointHandler } from './disable-endpoint.handler';
import { DisableEndpointRequest } from './disable-endpoint.request.dto';

@ApiTags('endpoints')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/endpoints')
export class DisableEndpointHttpController {
  constructor(@Inject(DisableEndpointHandler) private readonly handler: DisableEndpointHandler) {}

  @Post(':endpointId/disable')
  handle(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('endpointId') endpointId: string, @Body() body: DisableEndpointRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, endpointId, body);
  }
}
