// Tracing must be set up before Nest, pg, undici or kafkajs are loaded, so their instrumentation hooks attach:
// this file imports only observability, then loads the rest.
import { createLogger, createMetrics, startTracing } from '@hookline/observability';

// Every parent context here comes explicitly from a Kafka record's headers: with no span exported, no AsyncLocalStorage
// (its promise hooks cost a tenth of the CPU of draining a backlog) and no instrumentation.
const tracing = startTracing({
  serviceName: 'hookline-dispatcher', serviceVersion: process.env.npm_package_version ?? '0.1.0', ambientContext: 'when-exporting',
});
const logger = createLogger({ service: 'dispatcher' });
const metrics = createMetrics({ service: 'dispatcher' });

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startDispatcherService } = require('./server') as typeof import('./server');

startDispatcherService(logger, metrics, () => tracing.shutdown()).catch(async (err) => {
  logger.fatal({ err }, 'dispatcher crashed during start-up');
  await tracing.shutdown();
  process.exit(1);
});
