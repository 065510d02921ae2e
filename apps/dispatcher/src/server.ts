import { NestFactory } from '@nestjs/core';
import { Logger, Metrics, NestLoggerAdapter } from '@hookline/observability';
import { StablePrototypeExpressAdapter, failStartup, onShutdownSignal } from '@hookline/service-kit';
import { DispatcherModule } from './app/dispatcher.module';
import { startDispatcher } from './app/dispatcher-runtime';
import { loadDispatcherConfig } from './config';

/**
 * Process lifecycle: config, the dispatcher itself, then the health/metrics HTTP server. SIGTERM stops consuming,
 * finishes or parks in-flight deliveries, commits, disconnects and exits 0.
 */
export async function startDispatcherService(logger: Logger, metrics: Metrics, onStopped: () => Promise<void>): Promise<void> {
  let config;
  try {
    config = loadDispatcherConfig();
  } catch (err) {
    failStartup('dispatcher', err);
  }
  let runtime;
  try {
    runtime = await startDispatcher(config, logger, metrics);
  } catch (err) {
    failStartup('dispatcher', err);
  }
  const app = await NestFactory.create(
    DispatcherModule.forRoot(runtime.readinessChecks, metrics, runtime.refreshMetrics), new StablePrototypeExpressAdapter(), { bufferLogs: true },
  );
  app.useLogger(new NestLoggerAdapter(logger));
  await app.listen(config.PORT, '0.0.0.0');
  logger.info({ port: config.PORT }, 'dispatcher ready');

  onShutdownSignal(
    async () => {
      await app.close();
      await runtime.stop();
      await onStopped();
    },
    config.SHUTDOWN_TIMEOUT_MS + 5000,
    (msg) => logger.info(msg),
  );
}
