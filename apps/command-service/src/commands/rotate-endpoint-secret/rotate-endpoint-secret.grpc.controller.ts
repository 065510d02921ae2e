import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { RotateEndpointSecretHandler } from './rotate-endpoint-secret.handler';
import { RotateEndpointSecretRequest } from './rotate-endpoint-secret.request.dto';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class RotateEndpointSecretGrpcController {
  constructor(
    @Inject(RotateEndpointSecretHandler) private readonly handler: RotateEndpointSecretHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('EndpointService', 'RotateSecret')
  async rotate(
    req: { tenant_id: string; endpoint_id: string; expected_version?: number; secret?: string; signing?: string; previous_secrets_expire_in_seconds?: number },
    metadata: Metadata, call: ServerUnaryCall<unknown, unknown>,
  ) {
    const ctx = await grpcContext(this.authenticator, metadata, call, req.expected_version);
    const input = await validateDto(RotateEndpointSecretRequest, {
      secret: req.secret, signing: req.signing, previous_secrets_expire_in_seconds: req.previous_secrets_expire_in_seconds,
    });
    const r = await this.handler.execute(ctx, req.tenant_id, req.endpoint_id, input);
    return { id: r.id, version: r.version, status: r.status, secret: r.secret, public_key: r.public_key ?? '', position: encodePositionReply(r.position) };
  }
}
