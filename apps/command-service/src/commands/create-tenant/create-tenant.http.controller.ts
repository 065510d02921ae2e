import { Body, Controller, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { CreateTenantHandler } from './create-tenant.handler';
import { CreateTenantRequest } from './create-tenant.request.dto';

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('v1/tenants')
export class CreateTenantHttpController {
  constructor(@Inject(CreateTenantHandler) private readonly handler: CreateTenantHandler) {}

  @Post()
  create(@Req() req: Request, @Caller() auth: AuthContext, @Body() body: CreateTenantRequest) {
    return this.handler.execute(httpContext(req, auth), body);
  }
}
