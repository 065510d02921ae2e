import { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Authenticator } from '../../auth/authenticator';
import { GrpcIngressMetricsInterceptor } from '../../observability/grpc-ingress-metrics.interceptor';
import { parseJsonField } from '../../shared/field-checks';
import { encodePositionReply } from '../../shared/grpc-replies';
import { grpcContext, validateDto } from '../../shared/transport';
import { ImportEventTypesHandler } from './import-event-types.handler';
import { openApiDocumentOf } from './openapi-text';
import { ImportEventTypesRequest } from './import-event-types.request.dto';

@Controller()
@UseInterceptors(GrpcIngressMetricsInterceptor)
export class ImportEventTypesGrpcController {
  constructor(
    @Inject(ImportEventTypesHandler) private readonly handler: ImportEventTypesHandler,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @GrpcMethod('EventTypeService', 'ImportOpenApi')
  async import(
    req: { tenant_id: string; spec_json: string; dry_run: boolean; update_existing: boolean; force: boolean },
    metadata: Metadata,
    call: ServerUnaryCall<unknown, unknown>,
  ) {
    const ctx = await grpcContext(this.authenticator, metadata, call);
    // JSON text as before (its problems named at /spec_json); anything else is read as YAML, named there too.
    const text = req.spec_json ?? '';
    const input = await validateDto(ImportEventTypesRequest, {
      spec: text.trimStart().startsWith('{') ? parseJsonField(text, '/spec_json') : openApiDocumentOf(text, '/spec_json'),
      dry_run: req.dry_run || undefined,
      update_existing: req.update_existing || undefined,
      force: req.force || undefined,
    });
    const report = await this.handler.execute(ctx, req.tenant_id, input);
    return {
      ...report,
      created: report.created.map((t) => ({ ...t, schema_version: t.schema_version ?? 0 })),
      updated: report.updated.map((t) => ({ ...t, schema_version: t.schema_version ?? 0 })),
      position: encodePositionReply(report.position),
    };
  }
}
