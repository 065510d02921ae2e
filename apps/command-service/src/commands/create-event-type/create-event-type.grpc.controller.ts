import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { parseJsonField } from '../../shared/field-checks';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { CreateEventTypeHandler } from './create-event-type.handler';
import { CreateEventTypeRequest } from './create-event-type.request.dto';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class CreateEventTypeGrpcController {
  constructor(
    @Inject(CreateEventTypeHandler) private readonly handler: CreateEventTypeHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('EventTypeService', 'CreateEventType')
  async create(req: { tenant_id: string; name: string; description: string; schema_json: string; requires_approval: boolean }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    const input = await validateDto(CreateEventTypeRequest, {
      name: req.name,
      description: req.description,
      schema: parseJsonField(req.schema_json, '/schema_json'),
      requires_approval: req.requires_approval || undefined,
    });
    const r = await this.handler.execute(ctx, req.tenant_id, input);
    return { name: r.name, version: r.version, schema_version: r.schema_version ?? 0, position: encodePositionReply(r.position) };
  }
}
