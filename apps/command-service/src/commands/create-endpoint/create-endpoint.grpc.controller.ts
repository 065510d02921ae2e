import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { parseJsonField } from '../../shared/field-checks';
import { encodePositionReply } from '../../shared/grpc-replies';
import { endpointAuthFromGrpc, grpcContext, validateDto } from '../../shared/transport';
import { CreateEndpointHandler } from './create-endpoint.handler';
import { CreateEndpointRequest } from './create-endpoint.request.dto';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class CreateEndpointGrpcController {
  constructor(
    @Inject(CreateEndpointHandler) private readonly handler: CreateEndpointHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('EndpointService', 'CreateEndpoint')
  async create(req: Record<string, unknown> & { tenant_id: string }, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    const headers = req.headers as Record<string, string> | undefined;
    const input = await validateDto(CreateEndpointRequest, {
      url: req.url,
      description: req.description,
      event_types: req.event_types,
      channels: req.channels,
      filter: parseJsonField(req.filter_json as string, '/filter_json'),
      headers: headers && Object.keys(headers).length ? headers : undefined,
      rate_limit_per_second: req.rate_limit_per_second,
      max_in_flight: req.max_in_flight,
      retry_schedule_seconds: req.retry_schedule_seconds,
      fifo: req.fifo || undefined,
      signing: req.signing,
      disabled: req.disabled || undefined,
      auth: endpointAuthFromGrpc(
        req.oauth2 as Record<string, unknown> | null, req.kafka_sasl as Record<string, unknown> | null, req.amqp_plain as Record<string, unknown> | null,
      ),
      client_certificate: req.client_certificate ?? undefined,
      auto_disable_after_hours: req.auto_disable_after_hours,
      circuit_breaker: req.circuit_breaker ?? undefined,
      transformation: req.transformation,
    });
    const r = await this.handler.execute(ctx, req.tenant_id, input);
    return { id: r.id, version: r.version, status: r.status, secret: r.secret, public_key: r.public_key ?? '', position: encodePositionReply(r.position) };
  }
}
