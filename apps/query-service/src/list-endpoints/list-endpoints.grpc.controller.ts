import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { parseRequest } from '../shared/parse-request';
import { grpcCaller } from '../transport/caller';
import { GrpcProblemFilter } from '../transport/grpc-problem.filter';
import { grpcEndpoint, grpcPage } from '../transport/grpc-views';
import { ListEndpointsQuery } from './list-endpoints.query';
import { ListEndpointsRequest } from './list-endpoints.request.dto';

@Controller()
@UseFilters(GrpcProblemFilter)
export class ListEndpointsGrpcController {
  constructor(private readonly query: ListEndpointsQuery) {}

  @GrpcMethod('EndpointsService', 'ListEndpoints')
  async listEndpoints(data: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return grpcPage(await this.query.execute(grpcCaller(metadata, call), parseRequest(ListEndpointsRequest, data)), grpcEndpoint);
  }
}
