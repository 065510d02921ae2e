import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { parseRequest } from '../shared/parse-request';
import { grpcCaller } from '../transport/caller';
import { GrpcProblemFilter } from '../transport/grpc-problem.filter';
import { grpcPage, grpcSource } from '../transport/grpc-views';
import { ListSourcesQuery } from './list-sources.query';
import { ListSourcesRequest } from './list-sources.request.dto';

@Controller()
@UseFilters(GrpcProblemFilter)
export class ListSourcesGrpcController {
  constructor(private readonly query: ListSourcesQuery) {}

  @GrpcMethod('SourcesService', 'ListSources')
  async listSources(data: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return grpcPage(await this.query.execute(grpcCaller(metadata, call), parseRequest(ListSourcesRequest, data)), grpcSource);
  }
}
