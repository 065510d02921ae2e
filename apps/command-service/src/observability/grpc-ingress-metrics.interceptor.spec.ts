import { createMetrics } from '@hookline/observability';
import { ProblemError } from '@hookline/service-kit';
import { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of, throwError } from 'rxjs';
import { GrpcIngressMetricsInterceptor } from './grpc-ingress-metrics.interceptor';

const rpcContext = (path: string) =>
  ({ getType: () => 'rpc', getArgByIndex: (i: number) => (i === 2 ? { getPath: () => path } : undefined) }) as unknown as ExecutionContext;
const handler = (result: () => unknown): CallHandler => ({ handle: () => (result() instanceof Error ? throwError(() => result()) : of(result())) });

describe('GrpcIngressMetricsInterceptor', () => {
  it('counts calls by gRPC method and the status code the client gets, errors apart', async () => {
    const metrics = createMetrics({ service: 'command-service', defaultMetrics: false });
    const interceptor = new GrpcIngressMetricsInterceptor(metrics);
    const path = '/hookline.command.v1.CommandService/PublishMessage';

    await lastValueFrom(interceptor.intercept(rpcContext(path), handler(() => ({ id: 'msg_1' }))));
    await expect(lastValueFrom(interceptor.intercept(rpcContext(path), handler(() => new ProblemError('not_found', 'no such tenant'))))).rejects.toThrow('no such tenant');

    const body = (await metrics.render()).body;
    expect(body).toContain(`hookline_grpc_requests_total{method="${path}",code="OK",service="command-service"} 1`);
    expect(body).toContain(`hookline_grpc_requests_total{method="${path}",code="NOT_FOUND",service="command-service"} 1`);
    expect(body).toContain(`hookline_grpc_request_errors_total{method="${path}",code="NOT_FOUND",service="command-service"} 1`);
    expect(body).toContain(`hookline_grpc_request_duration_seconds_count{service="command-service",method="${path}"} 2`);
  });

  it('leaves REST requests to the HTTP middleware', async () => {
    const metrics = createMetrics({ service: 'command-service', defaultMetrics: false });
    const http = { getType: () => 'http' } as unknown as ExecutionContext;
    await lastValueFrom(new GrpcIngressMetricsInterceptor(metrics).intercept(http, handler(() => 'ok')));
    expect((await metrics.render()).body).not.toContain('hookline_grpc_requests_total{');
  });
});
