import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { parseRequest } from '../shared/parse-request';
import { grpcCaller } from '../transport/caller';
import { GrpcProblemFilter } from '../transport/grpc-problem.filter';
import { grpcPage } from '../transport/grpc-views';
import { ListSourceRefusedRequestsQuery } from './list-source-refused-requests.query';
import { ListSourceRefusedRequestsRequest } from './list-source-refused-requests.request.dto';

@Controller()
@UseFilters(GrpcProblemFilter)
export class ListSourceRefusedRequestsGrpcController {
  constructor(private readonly query: ListSourceRefusedRequestsQuery) {}

  @GrpcMethod('SourcesService', 'ListRefusedRequests')
  async listRefusedRequests(data: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const page = await this.query.execute(grpcCaller(metadata, call), parseRequest(ListSourceRefusedRequestsRequest, data));
    return grpcPage(page, (r) => ({ ...r, content_type: r.content_type ?? '' }));
  }
}
