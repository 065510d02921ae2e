import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { DisableEndpointHandler } from './disable-endpoint.handler';
import { DisableEndpointRequest } from './disable-endpoint.request.dto';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class DisableEndpointGrpcController {
  constructor(
    @Inject(DisableEndpointHandler) private readonly handler: DisableEndpointHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('EndpointService', 'DisableEndpoint')
  async handle(req: { tenant_id: string; endpoint_id: string; expected_version?: number; detail?: string }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call, req.expected_version);
    const r = await this.handler.execute(ctx, req.tenant_id, req.endpoint_id, await validateDto(DisableEndpointRequest, { detail: req.detail }));
    return { id: r.id, version: r.version, status: r.status, position: encodePositionReply(r.position) };
  }
}
