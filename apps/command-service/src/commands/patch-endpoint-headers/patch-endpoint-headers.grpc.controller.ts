import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { PatchEndpointHeadersHandler } from './patch-endpoint-headers.handler';
import { PatchEndpointHeadersRequest } from './patch-endpoint-headers.request.dto';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class PatchEndpointHeadersGrpcController {
  constructor(
    @Inject(PatchEndpointHeadersHandler) private readonly handler: PatchEndpointHeadersHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  // A proto map holds no null: the headers to remove come as a list of names beside the ones to set.
  @GrpcMethod('EndpointService', 'PatchEndpointHeaders')
  async patch(
    req: { tenant_id: string; endpoint_id: string; expected_version?: number; set?: Record<string, string>; remove?: string[] },
    metadata: Metadata, call: ServerUnaryCall<unknown, unknown>,
  ) {
    const ctx = await grpcContext(this.authenticator, metadata, call, req.expected_version);
    const headers = { ...Object.fromEntries((req.remove ?? []).map((name) => [name, null])), ...(req.set ?? {}) };
    const input = await validateDto(PatchEndpointHeadersRequest, { headers });
    const r = await this.handler.execute(ctx, req.tenant_id, req.endpoint_id, input);
    return { id: r.id, version: r.version, status: r.status, position: encodePositionReply(r.position) };
  }
}
