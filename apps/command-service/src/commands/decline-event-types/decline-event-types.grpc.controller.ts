import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { DeclineEventTypesHandler } from './decline-event-types.handler';
import { DeclineEventTypesRequest } from './decline-event-types.request.dto';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class DeclineEventTypesGrpcController {
  constructor(
    @Inject(DeclineEventTypesHandler) private readonly handler: DeclineEventTypesHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('EndpointService', 'DeclineEventTypes')
  async handle(
    req: { tenant_id: string; endpoint_id: string; expected_version?: number; event_types?: string[]; reason?: string },
    metadata: Metadata, call: ServerUnaryCall<unknown, unknown>,
  ) {
    const ctx = await grpcContext(this.authenticator, metadata, call, req.expected_version);
    const input = await validateDto(DeclineEventTypesRequest, { event_types: req.event_types, reason: req.reason });
    const r = await this.handler.execute(ctx, req.tenant_id, req.endpoint_id, input);
    return { id: r.id, version: r.version, status: r.status, position: encodePositionReply(r.position) };
  }
}
