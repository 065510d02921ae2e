import { Body, Controller, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { requestOrigin } from '../../shared/source-commands';
import { httpContext } from '../../shared/transport';
import { CreateSourceHandler } from './create-source.handler';
import { CreateSourceRequest } from './create-source.request.dto';

@ApiTags('sources')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/sources')
export class CreateSourceHttpController {
  constructor(@Inject(CreateSourceHandler) private readonly handler: CreateSourceHandler) {}

  @Post()
  create(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Body() body: CreateSourceRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, body, requestOrigin(req));
  }
}
