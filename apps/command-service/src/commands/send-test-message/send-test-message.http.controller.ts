import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { SendTestMessageHandler } from './send-test-message.handler';
import { SendTestMessageRequest } from './send-test-message.request.dto';

@ApiTags('endpoints')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/endpoints')
export class SendTestMessageHttpController {
  constructor(@Inject(SendTestMessageHandler) private readonly handler: SendTestMessageHandler) {}

  /** 202 like a publish: accepted once Kafka has the message. */
  @Post(':endpointId/test')
  @HttpCode(202)
  send(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('endpointId') endpointId: string, @Body() body: SendTestMessageRequest) {
    return this.handler.execute(httpContext(req, auth), tenantId, endpointId, body);
  }
}
