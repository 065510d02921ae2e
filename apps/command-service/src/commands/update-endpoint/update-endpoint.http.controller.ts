import { Body, Controller, Inject, Param, Patch, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { UpdateEndpointHandler } from './update-endpoint.handler';
import { UpdateEndpointRequest } from './update-endpoint.request.dto';

@ApiTags('endpoints')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/endpoints')
export class UpdateEndpointHttpController {
  constructor(@Inject(UpdateEndpointHandler) private readonly handler: UpdateEndpointHandler) {}

  @Patch(':endpointId')
  update(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('endpointId') endpointId: string, @Body() body: UpdateEndpointRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, endpointId, body);
  }
}
