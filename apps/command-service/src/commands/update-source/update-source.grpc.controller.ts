import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';
import { sourceObjectFromGrpc, sourceReply } from '../../shared/source-grpc';
import { grpcContext, validateDto } from '../../shared/transport';
import { UpdateSourceHandler } from './update-source.handler';
import { UpdateSourceRequest } from './update-source.request.dto';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class UpdateSourceGrpcController {
  constructor(
    @Inject(UpdateSourceHandler) private readonly handler: UpdateSourceHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('SourceService', 'UpdateSource')
  async update(req: Record<string, unknown> & { tenant_id: string; source_id: string; expected_version?: number }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call, req.expected_version);
    const channels = req.channels as string[] | undefined;
    const input = await validateDto(UpdateSourceRequest, {
      name: req.name,
      description: req.description,
      verification: sourceObjectFromGrpc(req.verification),
      event_type: sourceObjectFromGrpc(req.event_type),
      idempotency: req.remove_idempotency ? null : sourceObjectFromGrpc(req.idempotency),
      payload_field: req.whole_body ? null : req.payload_field,
      channels: req.remove_channels ? null : channels?.length ? channels : undefined,
      enabled: req.enabled,
      handshake: req.remove_handshake ? null : sourceObjectFromGrpc(req.handshake),
      rate_limit: req.remove_rate_limit ? null : sourceObjectFromGrpc(req.rate_limit),
    });
    // compact() drops the nulls that ask for a removal: they are put back.
    if (req.remove_handshake) input.handshake = null;
    if (req.remove_rate_limit) input.rate_limit = null;
    if (req.remove_idempotency) input.idempotency = null;
    if (req.whole_body) input.payload_field = null;
    if (req.remove_channels) input.channels = null;
    return sourceReply(await this.handler.execute(ctx, req.tenant_id, req.source_id, input, null));
  }
}
