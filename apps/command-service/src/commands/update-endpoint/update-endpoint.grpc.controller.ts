import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ProblemError } from '@hookline/service-kit';
import { Authenticator } from '../../auth/authenticator';
import { encodePositionReply } from '../../shared/grpc-replies';
import { endpointAuthFromGrpc, grpcContext, validateDto } from '../../shared/transport';
import { UpdateEndpointHandler } from './update-endpoint.handler';
import { UpdateEndpointRequest } from './update-endpoint.request.dto';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class UpdateEndpointGrpcController {
  constructor(
    @Inject(UpdateEndpointHandler) private readonly handler: UpdateEndpointHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('EndpointService', 'UpdateEndpoint')
  async update(
    req: {
      tenant_id: string; endpoint_id: string; expected_version: number; url?: string; description?: string; event_types?: string[]; fifo?: boolean;
      rate_limit_per_second?: number; oauth2?: Record<string, unknown> | null; kafka_sasl?: Record<string, unknown> | null;
      amqp_plain?: Record<string, unknown> | null; remove_auth?: boolean;
      client_certificate?: Record<string, unknown> | null; remove_client_certificate?: boolean;
      auto_disable_after_hours?: number; default_auto_disable?: boolean;
      circuit_breaker?: Record<string, unknown> | null; default_circuit_breaker?: boolean;
      transformation?: string; remove_transformation?: boolean; all_event_types?: boolean;
    },
    metadata: Metadata,
    call: ServerUnaryCall<unknown, unknown>,
  ) {
    const ctx = await grpcContext(this.authenticator, metadata, call, req.expected_version);
    const input = await validateDto(UpdateEndpointRequest, {
      url: req.url,
      description: req.description,
      event_types: req.event_types,
      fifo: req.fifo,
      rate_limit_per_second: req.rate_limit_per_second,
      auth: endpointAuthFromGrpc(req.oauth2, req.kafka_sasl, req.amqp_plain),
      client_certificate: req.client_certificate ?? undefined,
      auto_disable_after_hours: req.auto_disable_after_hours,
      circuit_breaker: req.circuit_breaker ?? undefined,
      transformation: req.transformation,
    });
    // Set after validation: null (remove) is a value here, where validateDto's compact would drop it as "not set".
    const removals = [['remove_auth', 'auth', req.kafka_sasl ? 'kafka_sasl' : req.amqp_plain ? 'amqp_plain' : 'oauth2'], ['remove_client_certificate', 'client_certificate', 'client_certificate'],
      ['default_auto_disable', 'auto_disable_after_hours', 'auto_disable_after_hours'],
      ['default_circuit_breaker', 'circuit_breaker', 'circuit_breaker'], ['remove_transformation', 'transformation', 'transformation'],
      ['all_event_types', 'event_types', 'event_types']] as const;
    for (const [flag, field, message] of removals) {
      if (!req[flag]) continue;
      if (input[field] !== undefined && input[field] !== null) throw new ProblemError('validation', `${message} and ${flag} exclude each other`, [{ pointer: `/${flag}`, detail: `set either ${message} or ${flag}` }]);
      input[field] = null;
    }
    const r = await this.handler.execute(ctx, req.tenant_id, req.endpoint_id, input);
    return { id: r.id, version: r.version, status: r.status, position: encodePositionReply(r.position) };
  }
}
