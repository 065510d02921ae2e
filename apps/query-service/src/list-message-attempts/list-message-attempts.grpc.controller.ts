import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { parseRequest } from '../shared/parse-request';
import { grpcCaller } from '../transport/caller';
import { GrpcProblemFilter } from '../transport/grpc-problem.filter';
import { grpcAttempt, grpcPage } from '../transport/grpc-views';
import { ListMessageAttemptsQuery } from './list-message-attempts.query';
import { ListMessageAttemptsRequest } from './list-message-attempts.request.dto';

@Controller()
@UseFilters(GrpcProblemFilter)
export class ListMessageAttemptsGrpcController {
  constructor(private readonly query: ListMessageAttemptsQuery) {}

  @GrpcMethod('MessagesService', 'ListMessageAttempts')
  async listMessageAttempts(data: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return grpcPage(await this.query.execute(grpcCaller(metadata, call), parseRequest(ListMessageAttemptsRequest, data)), grpcAttempt);
  }
}
