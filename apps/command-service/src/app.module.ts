import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { HealthModule } from '@hookline/service-kit';
import { Authenticator } from './auth/authenticator';
import { HttpAuthGuard } from './auth/http-auth.guard';
import { COMMAND_USE_CASES } from './commands';
import { AggregateStore } from './infrastructure/aggregates/aggregate-store';
import { ConfigCatalog } from './infrastructure/aggregates/config-catalog';
import { IdempotencyStore } from './infrastructure/idempotency/idempotency-store';
import { CommandInfrastructure } from './infrastructure/infrastructure';
import { MessageAppender } from './infrastructure/kafka/message-appender';
import { MessageIndex } from './infrastructure/message-index/message-index';
import { SchemaRegistry } from './infrastructure/schemas/schema-registry';
import { EndpointSecrets } from './infrastructure/secrets/endpoint-secrets';
import { SourceRateLimits } from './ingest/http/source-rate-limits';
import { SourceRefusalLog } from './ingest/http/source-refusal-log';
import { PortalPageController } from './portal/portal-page.controller';
import { PortalSessionController } from './portal/portal-session.controller';
import { PreviewTransformationRunner } from './infrastructure/transformations/preview-transformation-runner';
import { EndpointCommandRunner } from './shared/endpoint-command-runner';
import { InputLimitsGuard } from './shared/input-limits.guard';
import { SourceCommands } from './shared/source-commands';
import { AllTransportsProblemFilter } from './shared/problem.filter';
import { COMMAND_CONFIG, LOGGER, METRICS, URL_POLICY } from './shared/tokens';

/** The command service: every use case's handler and its REST and gRPC adapters over shared infrastructure. */
@Module({})
export class CommandServiceModule {
  static forRoot(infra: CommandInfrastructure): DynamicModule {
    const values: Provider[] = [
      { provide: AggregateStore, useValue: infra.store },
      { provide: ConfigCatalog, useValue: infra.catalog },
      { provide: MessageAppender, useValue: infra.appender },
      { provide: SourceRefusalLog, useValue: infra.refusals },
      { provide: SourceRateLimits, useValue: new SourceRateLimits() },
      { provide: IdempotencyStore, useValue: infra.idempotency },
      { provide: SchemaRegistry, useValue: infra.schemas },
      { provide: EndpointSecrets, useValue: infra.secrets },
      { provide: Authenticator, useValue: infra.authenticator },
      { provide: MessageIndex, useValue: infra.messageIndex },
      { provide: URL_POLICY, useValue: infra.urlPolicy },
      { provide: COMMAND_CONFIG, useValue: infra.config },
      { provide: METRICS, useValue: infra.metrics },
      { provide: LOGGER, useValue: infra.logger },
      { provide: APP_GUARD, useClass: HttpAuthGuard },
      // After authentication (global guards run in this order): an anonymous caller learns nothing about inputs.
      { provide: APP_GUARD, useClass: InputLimitsGuard },
      { provide: APP_FILTER, useValue: new AllTransportsProblemFilter((err) => infra.logger.error({ err }, 'unhandled error')) },
    ];
    const handlers: Type[] = COMMAND_USE_CASES.flatMap((u) => u.handler);
    const controllers: Type[] = COMMAND_USE_CASES.flatMap((u) => u.controllers);
    return {
      module: CommandServiceModule,
      imports: [
        HealthModule.forRoot({
          checks: [
            { name: 'postgres', check: async () => void (await infra.ds.query('SELECT 1')) },
            {
              name: 'kafka',
              check: async () => {
                const admin = infra.kafka.admin();
                await admin.connect();
                try {
                  await admin.describeCluster();
                } finally {
                  await admin.disconnect();
                }
              },
            },
          ],
          metrics: () => infra.metrics.render(),
        }),
      ],
      controllers: [...controllers, PortalSessionController, PortalPageController],
      // PreviewTransformationRunner is Nest's to create and close (it stops its worker at application shutdown).
      providers: [...values, EndpointCommandRunner, SourceCommands, PreviewTransformationRunner, ...handlers],
    };
  }
}
