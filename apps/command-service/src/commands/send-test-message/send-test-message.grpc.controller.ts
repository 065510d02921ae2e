import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';
import { parseJsonField } from '../../shared/field-checks';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { SendTestMessageHandler } from './send-test-message.handler';
import { SendTestMessageRequest } from './send-test-message.request.dto';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class SendTestMessageGrpcController {
  constructor(
    @Inject(SendTestMessageHandler) private readonly handler: SendTestMessageHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('EndpointService', 'SendTestMessage')
  async send(req: { tenant_id: string; endpoint_id: string; event_type: string; payload_json: string }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    const input = await validateDto(SendTestMessageRequest, {
      event_type: req.event_type,
      // Empty: proto3's "not set", the example.
      payload: req.payload_json ? parseJsonField(req.payload_json, '/payload_json') : undefined,
    });
    const sent = await this.handler.execute(ctx, req.tenant_id, req.endpoint_id, input);
    return { id: sent.id, payload_json: JSON.stringify(sent.payload), position: encodePositionReply(sent.position) };
  }
}
