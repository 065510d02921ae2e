import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { CreatePortalSessionHandler } from './create-portal-session.handler';
import { CreatePortalSessionRequest } from './create-portal-session.request.dto';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class CreatePortalSessionGrpcController {
  constructor(
    @Inject(CreatePortalSessionHandler) private readonly handler: CreatePortalSessionHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('ApiKeyService', 'CreatePortalSession')
  async create(req: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    // proto3 has no absent int: 0 means "the default".
    const input = await validateDto(CreatePortalSessionRequest, {
      expires_in_seconds: req.expires_in_seconds || undefined,
      name: req.name || undefined,
      read_only: req.read_only || undefined,
    });
    const r = await this.handler.execute(ctx, String(req.tenant_id ?? ''), input);
    return { id: r.id, token: r.token, url: r.url, tenant_id: r.tenant_id, expires_at: r.expires_at, read_only: r.read_only, position: encodePositionReply(r.position) };
  }
}
