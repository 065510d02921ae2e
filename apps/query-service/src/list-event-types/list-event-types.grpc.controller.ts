import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { parseRequest } from '../shared/parse-request';
import { grpcCaller } from '../transport/caller';
import { GrpcProblemFilter } from '../transport/grpc-problem.filter';
import { grpcJson, grpcOpt, grpcPage } from '../transport/grpc-views';
import { ListEventTypesQuery } from './list-event-types.query';
import { ListEventTypesRequest } from './list-event-types.request.dto';

@Controller()
@UseFilters(GrpcProblemFilter)
export class ListEventTypesGrpcController {
  constructor(private readonly query: ListEventTypesQuery) {}

  @GrpcMethod('EventTypesService', 'ListEventTypes')
  async listEventTypes(data: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const page = await this.query.execute(grpcCaller(metadata, call), parseRequest(ListEventTypesRequest, data));
    return grpcPage(page, (t) => ({ ...t, sunset_at: grpcOpt(t.sunset_at), current_version: grpcOpt(t.current_version),
      schemas: t.schemas.map((s) => ({ ...s, schema: undefined, schema_json: grpcJson(s.schema) })) }));
  }
}
