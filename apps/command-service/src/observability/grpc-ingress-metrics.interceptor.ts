import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Metrics } from '@hookline/observability';
import { grpcStatusOf, toProblemError } from '@hookline/service-kit';
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, catchError, finalize, throwError } from 'rxjs';
import { METRICS } from '../shared/tokens';

const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * gRPC ingress metrics, the counterpart of the REST middleware in server.ts: calls, errors and latency by method (the
 * gRPC path, a closed set) and status code name. Errors are classed the way the problem filter answers them, so the code
 * here is the one the client got. Attached to the gRPC controllers only (@UseInterceptors): registered globally, it made
 * Nest run every REST request through an rxjs pipeline too, for nothing. A REST call that reaches it anyway passes untouched.
 */
@Injectable()
export class GrpcIngressMetricsInterceptor implements NestInterceptor {
  private readonly calls;
  private readonly errors;
  private readonly duration;

  constructor(@Inject(METRICS) metrics: Metrics) {
    this.calls = metrics.counter('grpc_requests_total', 'gRPC calls by method and status code', ['method', 'code']);
    this.errors = metrics.counter('grpc_request_errors_total', 'gRPC calls answered with a status other than OK', ['method', 'code']);
    this.duration = metrics.histogram('grpc_request_duration_seconds', 'gRPC call latency', ['method'], DURATION_BUCKETS);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const method = methodOf(context);
    const started = process.hrtime.bigint();
    let code = 'OK';
    return next.handle().pipe(
      catchError((err: unknown) => {
        code = GrpcStatus[grpcStatusOf(toProblemError(err).kind)] ?? 'UNKNOWN';
        return throwError(() => err);
      }),
      finalize(() => {
        this.calls.inc({ method, code });
        if (code !== 'OK') this.errors.inc({ method, code });
        this.duration.observe({ method }, Number(process.hrtime.bigint() - started) / 1e9);
      }),
    );
  }
}

// The unary call object is the handler's third argument; its path is `/hookline.command.v1.CommandService/PublishMessage`.
function methodOf(context: ExecutionContext): string {
  const call = context.getArgByIndex(2) as { getPath?: () => string } | undefined;
  return call?.getPath?.() ?? `${context.getClass().name}.${context.getHandler().name}`;
}
