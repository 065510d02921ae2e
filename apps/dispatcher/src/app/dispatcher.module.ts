import { DynamicModule, Module } from '@nestjs/common';
import type { Metrics } from '@hookline/observability';
import { HealthModule, ReadinessCheck } from '@hookline/service-kit';

/** The dispatcher's HTTP surface: /healthz, /readyz (Kafka, Postgres, config view caught up) and /metrics. */
@Module({})
export class DispatcherModule {
  static forRoot(checks: ReadinessCheck[], metrics: Metrics, refreshMetrics: () => Promise<void>): DynamicModule {
    const render = async () => {
      await refreshMetrics();
      return metrics.render();
    };
    return { module: DispatcherModule, imports: [HealthModule.forRoot({ checks, metrics: render })] };
  }
}
