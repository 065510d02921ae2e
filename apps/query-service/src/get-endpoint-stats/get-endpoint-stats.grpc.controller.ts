import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { parseRequest } from '../shared/parse-request';
import { grpcCaller } from '../transport/caller';
import { GrpcProblemFilter } from '../transport/grpc-problem.filter';
import { grpcOpt } from '../transport/grpc-views';
import { GetEndpointStatsQuery } from './get-endpoint-stats.query';
import { GetEndpointStatsRequest } from './get-endpoint-stats.request.dto';

@Controller()
@UseFilters(GrpcProblemFilter)
export class GetEndpointStatsGrpcController {
  constructor(private readonly query: GetEndpointStatsQuery) {}

  @GrpcMethod('EndpointsService', 'GetEndpointStats')
  async getEndpointStats(data: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const stats = await this.query.execute(grpcCaller(metadata, call), parseRequest(GetEndpointStatsRequest, data));
    return { ...stats, buckets: stats.buckets.map((b) => ({ ...b, latency_p50_ms: grpcOpt(b.latency_p50_ms), latency_p95_ms: grpcOpt(b.latency_p95_ms) })) };
  }
}
