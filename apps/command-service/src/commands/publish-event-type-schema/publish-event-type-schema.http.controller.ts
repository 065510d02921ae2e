import { Body, Controller, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { PublishEventTypeSchemaHandler } from './publish-event-type-schema.handler';
import { PublishEventTypeSchemaRequest } from './publish-event-type-schema.request.dto';

@ApiTags('event-types')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/event-types/:name/schemas')
export class PublishEventTypeSchemaHttpController {
  constructor(@Inject(PublishEventTypeSchemaHandler) private readonly handler: PublishEventTypeSchemaHandler) {}

  @Post()
  publish(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('name') name: string, @Body() body: PublishEventTypeSchemaRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, name, body);
  }
}
