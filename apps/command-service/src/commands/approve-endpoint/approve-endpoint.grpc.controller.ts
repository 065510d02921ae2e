import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext } from '../../shared/transport';
import { ApproveEndpointHandler } from './approve-endpoint.handler';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';


@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class ApproveEndpointGrpcController {
  constructor(
    @Inject(ApproveEndpointHandler) private readonly handler: ApproveEndpointHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('EndpointService', 'ApproveEndpoint')
  async handle(req: { tenant_id: string; endpoint_id: string; expected_version?: number; detail?: string }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call, req.expected_version);
    const r = await this.handler.execute(ctx, req.tenant_id, req.endpoint_id);
    return { id: r.id, version: r.version, status: r.status, position: encodePositionReply(r.position) };
  }
}
