import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { parseJsonField } from '../../shared/field-checks';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { PublishMessageHandler } from './publish-message.handler';
import { PublishMessageRequest } from './publish-message.request.dto';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class PublishMessageGrpcController {
  constructor(
    @Inject(PublishMessageHandler) private readonly handler: PublishMessageHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('MessageService', 'PublishMessage')
  async publish(
    req: { tenant_id: string; event_type: string; payload_json: string; channels: string[]; idempotency_key: string; ordering_key: string; endpoint_ids?: string[]; tags?: string[] },
    metadata: Metadata,
    call: ServerUnaryCall<unknown, unknown>,
  ) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    const input = await validateDto(PublishMessageRequest, {
      event_type: req.event_type,
      payload: parseJsonField(req.payload_json, '/payload_json'),
      channels: req.channels,
      ordering_key: req.ordering_key,
      // Empty is proto3's "not set" (validateDto's compact drops it): every subscribed endpoint.
      endpoint_ids: req.endpoint_ids,
      tags: req.tags,
    });
    // The request's own field, else the `idempotency-key` metadata every other command takes.
    const message = await this.handler.execute(ctx, req.tenant_id, input, req.idempotency_key || undefined);
    return { id: message.id, position: encodePositionReply(message.position) };
  }
}
