import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { ApproveEndpointHandler } from './approve-endpoint.handler';
import { ApproveEndpointRequest } from './approve-endpoint.request.dto';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';


@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class ApproveEndpointGrpcController {
  constructor(
    @Inject(ApproveEndpointHandler) private readonly handler: ApproveEndpointHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('EndpointService', 'ApproveEndpoint')
  async handle(req: { tenant_id: string; endpoint_id: string; expected_version?: number; event_types?: string[] }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call, req.expected_version);
    // An empty list is proto3's "not set": approve what is awaited.
    const r = await this.handler.execute(ctx, req.tenant_id, req.endpoint_id, await validateDto(ApproveEndpointRequest, { event_types: req.event_types }));
    return { id: r.id, version: r.version, status: r.status, position: encodePositionReply(r.position) };
  }
}
