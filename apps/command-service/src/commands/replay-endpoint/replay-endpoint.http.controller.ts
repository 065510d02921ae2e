import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { ReplayEndpointHandler } from './replay-endpoint.handler';
import { ReplayEndpointRequest } from './replay-endpoint.request.dto';

@ApiTags('endpoints')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/endpoints')
export class ReplayEndpointHttpController {
  constructor(@Inject(ReplayEndpointHandler) private readonly handler: ReplayEndpointHandler) {}

  @Post(':endpointId/replay')
  @HttpCode(202)
  replay(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('endpointId') endpointId: string, @Body() body: ReplayEndpointRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, endpointId, body);
  }
}
