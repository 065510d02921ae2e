import { Body, Controller, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { CreateEndpointHandler } from './create-endpoint.handler';
import { CreateEndpointRequest } from './create-endpoint.request.dto';

@ApiTags('endpoints')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/endpoints')
export class CreateEndpointHttpController {
  constructor(@Inject(CreateEndpointHandler) private readonly handler: CreateEndpointHandler) {}

  @Post()
  create(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Body() body: CreateEndpointRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, body);
  }
}
