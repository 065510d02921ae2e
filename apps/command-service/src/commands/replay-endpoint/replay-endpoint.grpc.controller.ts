import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { ReplayEndpointHandler } from './replay-endpoint.handler';
import { ReplayEndpointRequest } from './replay-endpoint.request.dto';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class ReplayEndpointGrpcController {
  constructor(
    @Inject(ReplayEndpointHandler) private readonly handler: ReplayEndpointHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('EndpointService', 'ReplayEndpoint')
  async replay(req: { tenant_id: string; endpoint_id: string; since: string; until: string }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    const input = await validateDto(ReplayEndpointRequest, { since: req.since, until: req.until || undefined });
    const r = await this.handler.execute(ctx, req.tenant_id, req.endpoint_id, input);
    return { scanned: r.scanned, replayed: r.replayed, next_since: r.next_since ?? '', position: encodePositionReply(r.position) };
  }
}
