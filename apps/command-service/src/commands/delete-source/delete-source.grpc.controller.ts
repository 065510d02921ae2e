import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';
import { sourceReply } from '../../shared/source-grpc';
import { grpcContext } from '../../shared/transport';
import { DeleteSourceHandler } from './delete-source.handler';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class DeleteSourceGrpcController {
  constructor(
    @Inject(DeleteSourceHandler) private readonly handler: DeleteSourceHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('SourceService', 'DeleteSource')
  async delete(req: { tenant_id: string; source_id: string; expected_version?: number }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call, req.expected_version);
    return sourceReply(await this.handler.execute(ctx, req.tenant_id, req.source_id));
  }
}
