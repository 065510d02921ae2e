import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { parseRequest } from '../shared/parse-request';
import { grpcCaller } from '../transport/caller';
import { GrpcProblemFilter } from '../transport/grpc-problem.filter';
import { grpcJson, grpcOpt, grpcPage } from '../transport/grpc-views';
import { ListAuditLogQuery } from './list-audit-log.query';
import { ListAuditLogRequest } from './list-audit-log.request.dto';

@Controller()
@UseFilters(GrpcProblemFilter)
export class ListAuditLogGrpcController {
  constructor(private readonly query: ListAuditLogQuery) {}

  @GrpcMethod('AuditLogService', 'ListAuditLog')
  async listAuditLog(data: Record<string, unknown>, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    const page = await this.query.execute(grpcCaller(metadata, call), parseRequest(ListAuditLogRequest, data));
    return grpcPage(page, (a) => ({ ...a, aggregate_version: grpcOpt(a.aggregate_version), actor: undefined, actor_kind: a.actor?.kind,
      actor_id: grpcOpt(a.actor?.id ?? null), before: undefined, after: undefined, before_json: grpcJson(a.before), after_json: grpcJson(a.after) }));
  }
}
