import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { PublishMessageHandler } from './publish-message.handler';
import { PublishMessageRequest } from './publish-message.request.dto';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/messages')
export class PublishMessageHttpController {
  constructor(@Inject(PublishMessageHandler) private readonly handler: PublishMessageHandler) {}

  @Post()
  @HttpCode(202)
  publish(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Body() body: PublishMessageRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, body);
  }
}
