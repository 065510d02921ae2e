import { Body, Controller, Inject, Param, Patch, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { requestOrigin } from '../../shared/source-commands';
import { httpContext } from '../../shared/transport';
import { UpdateSourceHandler } from './update-source.handler';
import { UpdateSourceRequest } from './update-source.request.dto';

@ApiTags('sources')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/sources')
export class UpdateSourceHttpController {
  constructor(@Inject(UpdateSourceHandler) private readonly handler: UpdateSourceHandler) {}

  @Patch(':sourceId')
  update(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('sourceId') sourceId: string, @Body() body: UpdateSourceRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, sourceId, body, requestOrigin(req));
  }
}
