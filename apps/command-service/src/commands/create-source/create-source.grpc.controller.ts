import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';
import { sourceObjectFromGrpc, sourceReply } from '../../shared/source-grpc';
import { grpcContext, validateDto } from '../../shared/transport';
import { CreateSourceHandler } from './create-source.handler';
import { CreateSourceRequest } from './create-source.request.dto';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class CreateSourceGrpcController {
  constructor(
    @Inject(CreateSourceHandler) private readonly handler: CreateSourceHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('SourceService', 'CreateSource')
  async create(req: Record<string, unknown> & { tenant_id: string }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    const input = await validateDto(CreateSourceRequest, {
      name: req.name,
      description: req.description,
      verification: sourceObjectFromGrpc(req.verification),
      event_type: sourceObjectFromGrpc(req.event_type),
      idempotency: sourceObjectFromGrpc(req.idempotency),
      payload_field: req.payload_field,
      channels: req.channels,
      enabled: req.disabled ? false : undefined,
      handshake: sourceObjectFromGrpc(req.handshake),
      rate_limit: sourceObjectFromGrpc(req.rate_limit),
    });
    return sourceReply(await this.handler.execute(ctx, req.tenant_id, input, null));
  }
}
