import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext } from '../../shared/transport';
import { ExpungeMessageContentHandler } from './expunge-message-content.handler';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class ExpungeMessageContentGrpcController {
  constructor(
    @Inject(ExpungeMessageContentHandler) private readonly handler: ExpungeMessageContentHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('MessageService', 'ExpungeMessageContent')
  async expunge(req: { tenant_id: string; message_id: string }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    const r = await this.handler.execute(ctx, req.tenant_id, req.message_id);
    return { position: encodePositionReply(r.position) };
  }
}
