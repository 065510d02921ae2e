// Tracing must be set up before Nest, pg, undici or gRPC are loaded, so their instrumentation hooks attach:
// this file imports only observability, then loads the rest.
import { createLogger, createMetrics, startTracing } from '@hookline/observability';

// Every handler passes its request's trace on explicitly (RequestContext.trace, read from the request's headers): with
// no span exported, no AsyncLocalStorage and no instrumentation. Their promise hooks and per-request spans were about an
// eighth of this service's CPU at 450 msg/s, for context nothing read.
const tracing = startTracing({
  serviceName: 'hookline-command-service', serviceVersion: process.env.npm_package_version ?? '0.1.0', ambientContext: 'when-exporting',
});
const logger = createLogger({ service: 'command-service' });
const metrics = createMetrics({ service: 'command-service' });

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startCommandService } = require('./server') as typeof import('./server');

startCommandService(logger, metrics).catch(async (err) => {
  logger.fatal({ err }, 'command-service crashed during start-up');
  await tracing.shutdown();
  process.exit(1);
});
