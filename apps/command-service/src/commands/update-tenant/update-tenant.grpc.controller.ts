import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { UpdateTenantHandler } from './update-tenant.handler';
import { UpdateTenantRequest } from './update-tenant.request.dto';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class UpdateTenantGrpcController {
  constructor(
    @Inject(UpdateTenantHandler) private readonly handler: UpdateTenantHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('TenantService', 'UpdateTenant')
  async update(req: { tenant_id: string; name?: string; retention_days?: number; expected_version?: number }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call, req.expected_version);
    const input = await validateDto(UpdateTenantRequest, { name: req.name, retention_days: req.retention_days });
    const r = await this.handler.execute(ctx, req.tenant_id, input);
    return { id: r.id, version: r.version, position: encodePositionReply(r.position) };
  }
}
