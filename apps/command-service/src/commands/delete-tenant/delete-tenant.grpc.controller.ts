import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext } from '../../shared/transport';
import { DeleteTenantHandler } from './delete-tenant.handler';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class DeleteTenantGrpcController {
  constructor(
    @Inject(DeleteTenantHandler) private readonly handler: DeleteTenantHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('TenantService', 'DeleteTenant')
  async remove(req: { tenant_id: string; expected_version?: number }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call, req.expected_version);
    const r = await this.handler.execute(ctx, req.tenant_id);
    return { id: r.id, version: r.version, position: encodePositionReply(r.position) };
  }
}
