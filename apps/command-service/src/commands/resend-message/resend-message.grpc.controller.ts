import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { ResendMessageHandler } from './resend-message.handler';
import { ResendMessageRequest } from './resend-message.request.dto';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class ResendMessageGrpcController {
  constructor(
    @Inject(ResendMessageHandler) private readonly handler: ResendMessageHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('MessageService', 'ResendMessage')
  async resend(req: { tenant_id: string; message_id: string; endpoint_id: string }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    const input = await validateDto(ResendMessageRequest, { endpoint_id: req.endpoint_id });
    const r = await this.handler.execute(ctx, req.tenant_id, req.message_id, input);
    return { position: encodePositionReply(r.position) };
  }
}
