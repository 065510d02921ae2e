import { startTracing } from '@hookline/observability';

// Its own module, imported first by main.ts: instrumentations patch express, pg, grpc and kafkajs only if they load later.
export const tracing = startTracing({ serviceName: 'query-service', serviceVersion: process.env.npm_package_version ?? '0.1.0' });
