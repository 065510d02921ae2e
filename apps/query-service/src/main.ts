import { tracing } from './tracing';
import { createLogger } from '@hookline/observability';
import { failStartup, lowerCpuPriority, onShutdownSignal } from '@hookline/service-kit';
import { loadQueryConfig } from './config/query-config';
import { startQueryService } from './query-service';

async function main(): Promise<void> {
  let config;
  try {
    config = loadQueryConfig();
  } catch (err) {
    failStartup('query-service', err);
  }
  const log = createLogger({ service: 'query-service', level: config.LOG_LEVEL });
  lowerCpuPriority(config.CPU_NICE);
  const service = await startQueryService(config, log).catch((err: unknown) => failStartup('query-service', err));
  onShutdownSignal(async () => {
    await service.stop();
    await tracing.shutdown();
  }, config.SHUTDOWN_TIMEOUT_MS, (msg) => log.info(msg));
}

void main();
