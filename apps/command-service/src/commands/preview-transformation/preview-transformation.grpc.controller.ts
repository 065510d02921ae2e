import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';
import { parseJsonField } from '../../shared/field-checks';
import { grpcContext, validateDto } from '../../shared/transport';
import { PreviewTransformationHandler } from './preview-transformation.handler';
import { PreviewTransformationRequest } from './preview-transformation.request.dto';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class PreviewTransformationGrpcController {
  constructor(
    @Inject(PreviewTransformationHandler) private readonly handler: PreviewTransformationHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('EndpointService', 'PreviewTransformation')
  async preview(
    req: { tenant_id: string; transformation: string; event_type: string; payload_json: string; channels: string[]; endpoint_id: string },
    metadata: Metadata,
    call: ServerUnaryCall<unknown, unknown>,
  ) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    const input = await validateDto(PreviewTransformationRequest, {
      transformation: req.transformation,
      event_type: req.event_type,
      payload: parseJsonField(req.payload_json, '/payload_json'),
      channels: req.channels,
      endpoint_id: req.endpoint_id,
    });
    const preview = await this.handler.execute(ctx, req.tenant_id, input);
    return { body_json: preview.bodyJson, body_bytes: preview.bodyBytes, message_id: preview.messageId };
  }
}
