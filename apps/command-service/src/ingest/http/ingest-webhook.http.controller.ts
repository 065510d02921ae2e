import { Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiExtension, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NOT_A_COMMAND } from '../../shared/openapi-idempotency';
import type { Request } from 'express';
import { IngestWebhookHandler, IngestedWebhook } from './ingest-webhook.handler';

@ApiTags('sources')
@Controller('ingest')
export class IngestWebhookHttpController {
  constructor(@Inject(IngestWebhookHandler) private readonly handler: IngestWebhookHandler) {}

  @Post(':sourceId')
  @HttpCode(202)
  @ApiExtension(NOT_A_COMMAND, true)
  @ApiOperation({
    summary: 'A provider\'s webhook to an HTTP source (no API key: the provider\'s signature is checked); 202 once published',
  })
  ingest(@Req() req: Request, @Param('sourceId') sourceId: string): Promise<IngestedWebhook> {
    // No body at all leaves the raw parser's default ({}) in place of bytes.
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    return this.handler.execute(sourceId, { headers: req.headers, body, markReplayed: () => req.res?.setHeader('idempotent-replayed', 'true') });
  }
}
