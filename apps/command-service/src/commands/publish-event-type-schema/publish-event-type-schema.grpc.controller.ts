import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { parseJsonField } from '../../shared/field-checks';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { PublishEventTypeSchemaHandler } from './publish-event-type-schema.handler';
import { PublishEventTypeSchemaRequest } from './publish-event-type-schema.request.dto';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class PublishEventTypeSchemaGrpcController {
  constructor(
    @Inject(PublishEventTypeSchemaHandler) private readonly handler: PublishEventTypeSchemaHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('EventTypeService', 'PublishSchema')
  async publish(req: { tenant_id: string; name: string; schema_json: string; force: boolean; expected_version: number }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call, req.expected_version);
    const input = await validateDto(PublishEventTypeSchemaRequest, { schema: parseJsonField(req.schema_json, '/schema_json'), force: req.force || undefined });
    const r = await this.handler.execute(ctx, req.tenant_id, req.name, input);
    return { name: r.name, version: r.version, schema_version: r.schema_version ?? 0, position: encodePositionReply(r.position) };
  }
}
