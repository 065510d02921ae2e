import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { parseRequest } from '../shared/parse-request';
import { grpcCaller } from '../transport/caller';
import { GrpcProblemFilter } from '../transport/grpc-problem.filter';
import { grpcJson, grpcPage } from '../transport/grpc-views';
import { ListDeadLettersQuery } from './list-dead-letters.query';
import { ListDeadLettersRequest } from './list-dead-letters.request.dto';

@Controller()
@UseFilters(GrpcProblemFilter)
export class ListDeadLettersGrpcController {
  constructor(private readonly query: ListDeadLettersQuery) {}

  @GrpcMethod('DeadLettersService', 'ListDeadLetters')
  async listDeadLetters(data: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const page = await this.query.execute(grpcCaller(metadata, call), parseRequest(ListDeadLettersRequest, data));
    return grpcPage(page, (d) => ({ ...d, cause: d.cause ?? '', payload: undefined, payload_json: grpcJson(d.payload) }));
  }
}
