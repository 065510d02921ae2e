import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { parseRequest } from '../shared/parse-request';
import { grpcCaller } from '../transport/caller';
import { GrpcProblemFilter } from '../transport/grpc-problem.filter';
import { grpcMessage } from '../transport/grpc-views';
import { GetMessageQuery } from './get-message.query';
import { GetMessageRequest } from './get-message.request.dto';

@Controller()
@UseFilters(GrpcProblemFilter)
export class GetMessageGrpcController {
  constructor(private readonly query: GetMessageQuery) {}

  @GrpcMethod('MessagesService', 'GetMessage')
  async getMessage(data: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return grpcMessage(await this.query.execute(grpcCaller(metadata, call), parseRequest(GetMessageRequest, data)));
  }
}
