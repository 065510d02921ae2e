import { Controller, Delete, HttpCode, Inject, Param, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { ExpungeMessageContentHandler } from './expunge-message-content.handler';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/messages')
export class ExpungeMessageContentHttpController {
  constructor(@Inject(ExpungeMessageContentHandler) private readonly handler: ExpungeMessageContentHandler) {}

  @Delete(':messageId/content')
  @HttpCode(202)
  @ApiOperation({
    summary: "Expunge a message's content",
    description: 'Erases the payload from the read models, the resend index and the retry store; deliveries still waiting are dropped. '
      + 'The message can no longer be resent, replayed or recovered. Its id, type and delivery history stay.',
  })
  @ApiAcceptedResponse({ description: 'The expunge is on the log: `position` for reads that must see it' })
  expunge(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('messageId') messageId: string) {
    return this.handler.execute(httpContext(req, auth), tenantId, messageId);
  }
}
