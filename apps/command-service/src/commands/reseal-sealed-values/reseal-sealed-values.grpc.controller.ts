import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext } from '../../shared/transport';
import { ResealSealedValuesHandler } from './reseal-sealed-values.handler';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class ResealSealedValuesGrpcController {
  constructor(
    @Inject(ResealSealedValuesHandler) private readonly handler: ResealSealedValuesHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('SealingKeyService', 'ResealSealedValues')
  async reseal(_req: unknown, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const report = await this.handler.execute(await grpcContext(this.authenticator, metadata, call));
    return { ...report, position: encodePositionReply(report.position) };
  }
}
