import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { parseRequest } from '../shared/parse-request';
import { grpcCaller } from '../transport/caller';
import { GrpcProblemFilter } from '../transport/grpc-problem.filter';
import { GetTenantStatsQuery } from './get-tenant-stats.query';
import { GetTenantStatsRequest } from './get-tenant-stats.request.dto';

@Controller()
@UseFilters(GrpcProblemFilter)
export class GetTenantStatsGrpcController {
  constructor(private readonly query: GetTenantStatsQuery) {}

  @GrpcMethod('StatsService', 'GetTenantStats')
  getTenantStats(data: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.query.execute(grpcCaller(metadata, call), parseRequest(GetTenantStatsRequest, data));
  }
}
