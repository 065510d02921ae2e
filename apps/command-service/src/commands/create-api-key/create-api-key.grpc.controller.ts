import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { CreateApiKeyHandler } from './create-api-key.handler';
import { CreateApiKeyRequest } from './create-api-key.request.dto';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class CreateApiKeyGrpcController {
  constructor(
    @Inject(CreateApiKeyHandler) private readonly handler: CreateApiKeyHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('ApiKeyService', 'CreateApiKey')
  async create(req: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    const input = await validateDto(CreateApiKeyRequest, {
      name: req.name,
      scope: req.scope,
      tenant_id: req.tenant_id,
      ip_allowlist: req.ip_allowlist,
      rate_limit_per_second: req.rate_limit_per_second,
    });
    const r = await this.handler.execute(ctx, input);
    return { id: r.id, key: r.key, key_prefix: r.key_prefix, position: encodePositionReply(r.position) };
  }
}
