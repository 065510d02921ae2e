import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { parseRequest } from '../shared/parse-request';
import { grpcCaller } from '../transport/caller';
import { GrpcProblemFilter } from '../transport/grpc-problem.filter';
import { grpcMessage, grpcPage } from '../transport/grpc-views';
import { ListMessagesQuery } from './list-messages.query';
import { ListMessagesRequest } from './list-messages.request.dto';

@Controller()
@UseFilters(GrpcProblemFilter)
export class ListMessagesGrpcController {
  constructor(private readonly query: ListMessagesQuery) {}

  @GrpcMethod('MessagesService', 'ListMessages')
  async listMessages(data: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const page = await this.query.execute(grpcCaller(metadata, call), parseRequest(ListMessagesRequest, data));
    return grpcPage(page, grpcMessage);
  }
}
