import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { RecoverEndpointHandler } from './recover-endpoint.handler';
import { RecoverEndpointRequest } from './recover-endpoint.request.dto';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class RecoverEndpointGrpcController {
  constructor(
    @Inject(RecoverEndpointHandler) private readonly handler: RecoverEndpointHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('EndpointService', 'RecoverEndpoint')
  async recover(req: { tenant_id: string; endpoint_id: string; since: string; until: string }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    const input = await validateDto(RecoverEndpointRequest, { since: req.since, until: req.until });
    const r = await this.handler.execute(ctx, req.tenant_id, req.endpoint_id, input);
    return { position: encodePositionReply(r.position) };
  }
}
