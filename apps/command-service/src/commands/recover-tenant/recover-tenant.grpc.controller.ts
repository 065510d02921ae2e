import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { RecoverEndpointRequest } from '../recover-endpoint/recover-endpoint.request.dto';
import { RecoverTenantHandler } from './recover-tenant.handler';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class RecoverTenantGrpcController {
  constructor(
    @Inject(RecoverTenantHandler) private readonly handler: RecoverTenantHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('TenantService', 'RecoverTenant')
  async recover(req: { tenant_id: string; since: string; until: string }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    const input = await validateDto(RecoverEndpointRequest, { since: req.since, until: req.until || undefined });
    const r = await this.handler.execute(ctx, req.tenant_id, input);
    return { endpoints: r.endpoints, position: encodePositionReply(r.position) };
  }
}
