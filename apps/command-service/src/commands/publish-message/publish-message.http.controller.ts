import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
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
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body within 24 h → same answer, no second message' })
  async publish(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Caller() auth: AuthContext,
    @Param('tenantId') tenantId: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: PublishMessageRequest,
  ) {
    const { message, replayed } = await this.handler.execute(httpContext(req, auth), tenantId, body, idempotencyKey);
    if (replayed) res.setHeader('idempotent-replayed', 'true');
    return message;
  }
}
