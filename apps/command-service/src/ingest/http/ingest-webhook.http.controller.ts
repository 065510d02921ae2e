import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExtension, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { NOT_A_COMMAND } from '../../shared/openapi-idempotency';
import { IngestWebhookHandler } from './ingest-webhook.handler';
import { oversizeBodyOf } from './oversize-body';
import type { HandshakeReply } from './source-handshakes';

/** The query string as sent, decoded once (`hub.mode` keeps its dot whatever query parser Express is set up with). */
const queryOf = (req: Request) => new URL(req.originalUrl, 'http://ingest.invalid').searchParams;

/** A handshake's answer: 200 with the provider's token, never sniffed as anything but what it is. */
function sendHandshake(res: Response, reply: HandshakeReply): string {
  res.status(200).type(reply.contentType).setHeader('x-content-type-options', 'nosniff');
  return reply.body;
}

@ApiTags('sources')
@Controller('ingest')
export class IngestWebhookHttpController {
  constructor(@Inject(IngestWebhookHandler) private readonly handler: IngestWebhookHandler) {}

  @Post(':sourceId')
  @HttpCode(202)
  @ApiExtension(NOT_A_COMMAND, true)
  @ApiOperation({
    summary: 'A provider\'s webhook to an HTTP source (no API key: the provider\'s signature is checked); 202 once published, '
      + '200 with the answer to the source\'s handshake (Slack url_verification, Zoom endpoint.url_validation, Graph validationToken), '
      + '429 with Retry-After over the source\'s rate_limit, 413 for a body over the limit (MAX_PAYLOAD_BYTES + 64 KiB)',
  })
  async ingest(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Param('sourceId') sourceId: string): Promise<{ message_id: string } | string> {
    // No body at all leaves the raw parser's default ({}) in place of bytes.
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const outcome = await this.handler.execute(sourceId, {
      headers: req.headers, body, oversize: oversizeBodyOf(req), query: queryOf(req), markReplayed: () => res.setHeader('idempotent-replayed', 'true'),
    });
    return outcome.kind === 'handshake' ? sendHandshake(res, outcome.reply) : { message_id: outcome.message_id };
  }

  @Get(':sourceId')
  @ApiOperation({
    summary: 'Meta\'s verification request (hub.mode=subscribe, hub.verify_token, hub.challenge) to a source with the meta handshake: '
      + '200 with the challenge as text when the verify token is the source\'s, 403 otherwise; 405 for any other source',
  })
  async verify(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Param('sourceId') sourceId: string): Promise<string> {
    return sendHandshake(res, await this.handler.answerGet(sourceId, queryOf(req), req.headers));
  }
}
