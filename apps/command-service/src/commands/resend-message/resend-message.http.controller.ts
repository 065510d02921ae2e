import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { ResendMessageHandler } from './resend-message.handler';
import { ResendMessageRequest } from './resend-message.request.dto';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/messages')
export class ResendMessageHttpController {
  constructor(@Inject(ResendMessageHandler) private readonly handler: ResendMessageHandler) {}

  @Post(':messageId/resend')
  @HttpCode(202)
  resend(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('messageId') messageId: string, @Body() body: ResendMessageRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, messageId, body);
  }
}
