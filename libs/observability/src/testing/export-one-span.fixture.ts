// Runs as its own process (`node -r @swc-node/register`): the OTLP exporter loads `http` with a dynamic import(), which jest's
// module sandbox cannot execute. Starts tracing with the endpoint given as argv[2], ends one span, prints its trace id, and
// shuts down, which must flush the span to the endpoint before the process exits.
import { trace } from '@opentelemetry/api';
import { startTracing } from '../tracing/start-tracing';
import { currentTraceId } from '../tracing/trace-context';

async function main(): Promise<void> {
  const tracing = startTracing({
    serviceName: 'dispatcher',
    serviceVersion: '1.2.3',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: process.argv[2] },
  });
  const traceId = trace.getTracer('fixture').startActiveSpan('work', (span) => {
    span.end();
    return currentTraceId();
  });
  await tracing.shutdown();
  process.stdout.write(`${traceId}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
