import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { RecoverEndpointHandler } from './recover-endpoint.handler';
import { RecoverEndpointRequest } from './recover-endpoint.request.dto';

@ApiTags('endpoints')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/endpoints')
export class RecoverEndpointHttpController {
  constructor(@Inject(RecoverEndpointHandler) private readonly handler: RecoverEndpointHandler) {}

  @Post(':endpointId/recover')
  @HttpCode(202)
  recover(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('endpointId') endpointId: string, @Body() body: RecoverEndpointRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, endpointId, body);
  }
}
