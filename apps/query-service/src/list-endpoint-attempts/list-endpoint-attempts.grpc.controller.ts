import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { parseRequest } from '../shared/parse-request';
import { grpcCaller } from '../transport/caller';
import { GrpcProblemFilter } from '../transport/grpc-problem.filter';
import { grpcAttempt, grpcPage } from '../transport/grpc-views';
import { ListEndpointAttemptsQuery } from './list-endpoint-attempts.query';
import { ListEndpointAttemptsRequest } from './list-endpoint-attempts.request.dto';

@Controller()
@UseFilters(GrpcProblemFilter)
export class ListEndpointAttemptsGrpcController {
  constructor(private readonly query: ListEndpointAttemptsQuery) {}

  @GrpcMethod('EndpointsService', 'ListEndpointAttempts')
  async listEndpointAttempts(data: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return grpcPage(await this.query.execute(grpcCaller(metadata, call), parseRequest(ListEndpointAttemptsRequest, data)), grpcAttempt);
  }
}
