import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { NOT_A_COMMAND } from '../../shared/openapi-idempotency';
import { httpContext } from '../../shared/transport';
import { PreviewTransformationHandler } from './preview-transformation.handler';
import { PreviewTransformationRequest } from './preview-transformation.request.dto';

@ApiTags('endpoints')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/transformations')
export class PreviewTransformationHttpController {
  constructor(@Inject(PreviewTransformationHandler) private readonly handler: PreviewTransformationHandler) {}

  @Post('preview')
  @HttpCode(200)
  @ApiExtension(NOT_A_COMMAND, true)
  @ApiOkResponse({
    description: 'The body the endpoint would get (`body`, parsed), its size as sent, and the sample message id the expression saw. '
      + '400: the expression does not parse; 422: it fails on this message (the detail says why, as a delivery attempt would).',
    schema: {
      type: 'object',
      properties: { body: { description: 'Any JSON value' }, body_bytes: { type: 'integer' }, message_id: { type: 'string', example: 'msg_01JABCDEFGHJKMNPQRSTVWXYZ0' } },
    },
  })
  async preview(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Body() body: PreviewTransformationRequest) {
    const preview = await this.handler.execute(httpContext(req, auth), tenantId, body);
    return { body: JSON.parse(preview.bodyJson) as unknown, body_bytes: preview.bodyBytes, message_id: preview.messageId };
  }
}
