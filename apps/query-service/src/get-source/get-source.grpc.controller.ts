import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { parseRequest } from '../shared/parse-request';
import { grpcCaller } from '../transport/caller';
import { GrpcProblemFilter } from '../transport/grpc-problem.filter';
import { grpcSource } from '../transport/grpc-views';
import { GetSourceQuery } from './get-source.query';
import { GetSourceRequest } from './get-source.request.dto';

@Controller()
@UseFilters(GrpcProblemFilter)
export class GetSourceGrpcController {
  constructor(private readonly query: GetSourceQuery) {}

  @GrpcMethod('SourcesService', 'GetSource')
  async getSource(data: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return grpcSource(await this.query.execute(grpcCaller(metadata, call), parseRequest(GetSourceRequest, data)));
  }
}
