import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { parseRequest } from '../shared/parse-request';
import { grpcCaller } from '../transport/caller';
import { GrpcProblemFilter } from '../transport/grpc-problem.filter';
import { grpcEndpoint } from '../transport/grpc-views';
import { GetEndpointQuery } from './get-endpoint.query';
import { GetEndpointRequest } from './get-endpoint.request.dto';

@Controller()
@UseFilters(GrpcProblemFilter)
export class GetEndpointGrpcController {
  constructor(private readonly query: GetEndpointQuery) {}

  @GrpcMethod('EndpointsService', 'GetEndpoint')
  async getEndpoint(data: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return grpcEndpoint(await this.query.execute(grpcCaller(metadata, call), parseRequest(GetEndpointRequest, data)));
  }
}
