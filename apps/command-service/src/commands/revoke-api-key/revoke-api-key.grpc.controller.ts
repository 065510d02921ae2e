import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext } from '../../shared/transport';
import { RevokeApiKeyHandler } from './revoke-api-key.handler';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class RevokeApiKeyGrpcController {
  constructor(
    @Inject(RevokeApiKeyHandler) private readonly handler: RevokeApiKeyHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('ApiKeyService', 'RevokeApiKey')
  async revoke(req: { key_id: string }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    const r = await this.handler.execute(ctx, req.key_id);
    return { position: encodePositionReply(r.position) };
  }
}
