import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { encodePositionReply } from '../../shared/grpc-replies';
import { Authenticator } from '../../auth/authenticator';
import { grpcContext, validateDto } from '../../shared/transport';
import { CreateTenantHandler } from './create-tenant.handler';
import { CreateTenantRequest } from './create-tenant.request.dto';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class CreateTenantGrpcController {
  constructor(
    @Inject(CreateTenantHandler) private readonly handler: CreateTenantHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('TenantService', 'CreateTenant')
  async create(req: { name: string; retention_days?: number; metadata?: Record<string, string> }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    const input = await validateDto(CreateTenantRequest, { name: req.name, retention_days: req.retention_days, metadata: Object.keys(req.metadata ?? {}).length ? req.metadata : undefined });
    const r = await this.handler.execute(ctx, input);
    return { id: r.id, version: r.version, position: encodePositionReply(r.position) };
  }
}
