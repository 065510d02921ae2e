import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { parseRequest } from '../shared/parse-request';
import { grpcCaller } from '../transport/caller';
import { GrpcProblemFilter } from '../transport/grpc-problem.filter';
import { grpcJson, grpcOpt } from '../transport/grpc-views';
import { GetEndpointHealthQuery } from './get-endpoint-health.query';
import { GetEndpointHealthRequest } from './get-endpoint-health.request.dto';

@Controller()
@UseFilters(GrpcProblemFilter)
export class GetEndpointHealthGrpcController {
  constructor(private readonly query: GetEndpointHealthQuery) {}

  @GrpcMethod('EndpointsService', 'GetEndpointHealth')
  async getEndpointHealth(data: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const h = await this.query.execute(grpcCaller(metadata, call), parseRequest(GetEndpointHealthRequest, data));
    return { ...h, url: grpcOpt(h.url), status: grpcOpt(h.status), disabled_reason: grpcOpt(h.disabled_reason),
      disabled_detail: grpcOpt(h.disabled_detail), success_rate: h.success_rate ?? 0, latency_p50_ms: grpcOpt(h.latency_p50_ms),
      latency_p95_ms: grpcOpt(h.latency_p95_ms), status_codes: undefined, status_codes_json: grpcJson(h.status_codes),
      last_attempt_at: grpcOpt(h.last_attempt_at), last_success_at: grpcOpt(h.last_success_at), last_failure_at: grpcOpt(h.last_failure_at),
      last_error: grpcOpt(h.last_error), auto_disabled: undefined, auto_disabled_reason: h.auto_disabled?.reason,
      auto_disabled_at: h.auto_disabled?.at, client_certificate: undefined,
      client_certificate_fingerprint_sha256: h.client_certificate?.fingerprint_sha256, client_certificate_not_after: h.client_certificate?.not_after,
      client_certificate_warning: h.client_certificate?.warning?.stage, client_certificate_warned_at: h.client_certificate?.warning?.at };
  }
}
