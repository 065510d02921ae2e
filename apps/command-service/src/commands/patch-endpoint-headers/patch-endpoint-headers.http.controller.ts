import { Body, Controller, Inject, Param, Patch, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { PatchEndpointHeadersHandler } from './patch-endpoint-headers.handler';
import { PatchEndpointHeadersRequest } from './patch-endpoint-headers.request.dto';

@ApiTags('endpoints')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/endpoints')
export class PatchEndpointHeadersHttpController {
  constructor(@Inject(PatchEndpointHeadersHandler) private readonly handler: PatchEndpointHeadersHandler) {}

  @Patch(':endpointId/headers')
  patch(
    @Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('endpointId') endpointId: string,
    @Body() body: PatchEndpointHeadersRequest,
  ) {
    return this.handler.execute(httpContext(req, auth), tenantId, endpointId, body);
  }
}
