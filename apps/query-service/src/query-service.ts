import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { INestApplication } from '@nestjs/common';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { ReflectionService } from '@grpc/reflection';
import { topicNames, topicSpecs } from '@hookline/contracts';
import { hashApiKey } from '@hookline/auth';
import { createKafka, ensureTopics, topicReplication, waitForKafka } from '@hookline/kafka';
import { Logger, NestLoggerAdapter, createMetrics } from '@hookline/observability';
import { ProblemDetailsFilter, StablePrototypeExpressAdapter, corsOptions } from '@hookline/service-kit';
import { QueryAppModule } from './app.module';
import { Authenticator } from './auth/authenticator';
import { QueryConfig } from './config/query-config';
import { ReadModels } from './database/read-models';
import { ProjectionLag } from './lag/projection-lag';
import { projectionMetrics } from './lag/projection-metrics';
import { ProjectorConsumer } from './projection/projector-consumer';
import { PROJECTOR_NAME } from './projection/projector-name';
import { scheduleRetention } from './retention/retention.job';
import { QueryRuntime } from './shared/query-runtime';
import { IngestUrls } from './shared/source-view';
import { serveOpenApi } from './transport/openapi';

export const PROTO_PATH = join(__dirname, '..', 'proto', 'query.proto');
export const GRPC_PACKAGE = 'hookline.query.v1';
const VERSION = process.env.npm_package_version ?? '0.1.0';

export interface RunningQueryService {
  app: INestApplication;
  models: ReadModels;
  lag: ProjectionLag;
  stop(): Promise<void>;
}

/**
 * Starts the whole service: read models (migrated), the live projector, REST on PORT, gRPC on GRPC_PORT (with server
 * reflection), /healthz, /readyz (Postgres, Kafka, lag ≤ READY_MAX_LAG), /metrics, OpenAPI at /openapi.json and /docs,
 * and the retention job.
 */
export async function startQueryService(config: QueryConfig, log: Logger): Promise<RunningQueryService> {
  const models = await ReadModels.open({ url: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE });
  await waitForKafka(config.KAFKA_BROKERS);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'query-service', topicPrefix: config.KAFKA_TOPIC_PREFIX }, log);
  await ensureTopics(kafka, topicSpecs({ prefix: config.KAFKA_TOPIC_PREFIX }), topicReplication(config));
  const topics = Object.values(topicNames(config.KAFKA_TOPIC_PREFIX));
  const lag = new ProjectionLag(kafka, models, topics, PROJECTOR_NAME);
  const metrics = projectionMetrics(createMetrics({ service: 'query-service' }), lag, config.PROJECTOR_GROUP_ID);
  const projector = new ProjectorConsumer(kafka, models, {
    groupId: config.PROJECTOR_GROUP_ID, topics, consumerName: PROJECTOR_NAME, generation: 'active', log,
    batchWaitMs: config.PROJECTOR_BATCH_WAIT_MS, batchMinBytes: config.PROJECTOR_BATCH_MIN_BYTES,
    onBatch: (outcome, topic, _partition, seconds) => metrics.onBatch(outcome, topic, seconds),
  });
  const runtime = new QueryRuntime(models, new Authenticator(models, hashApiKey(config.ADMIN_API_KEY)), topics, PROJECTOR_NAME,
    config.READ_WAIT_MAX_MS);

  const health = {
    checks: [
      { name: 'postgres', check: async () => { await models.activeGeneration(); } },
      { name: 'projection', check: async () => {
        const total = (await lag.measure()).reduce((sum, p) => sum + p.lag, 0);
        if (total > config.READY_MAX_LAG) throw new Error(`projection is ${total} records behind (READY_MAX_LAG ${config.READY_MAX_LAG})`);
      } },
    ],
    metrics: metrics.render,
  };
  const app = await NestFactory.create(QueryAppModule.forRoot(runtime, lag, health, new IngestUrls(config.COMMAND_PUBLIC_URL)), new StablePrototypeExpressAdapter(), { logger: new NestLoggerAdapter(log), abortOnError: false });
  app.enableCors(corsOptions(config.CORS_ORIGINS));
  app.useGlobalFilters(new ProblemDetailsFilter((err, req) => log.error({ err, path: req.path }, 'unhandled error')));
  serveOpenApi(app, VERSION);
  app.connectMicroservice<MicroserviceOptions>({
    transport: Transport.GRPC,
    options: {
      package: GRPC_PACKAGE,
      protoPath: PROTO_PATH,
      url: `0.0.0.0:${config.GRPC_PORT}`,
      loader: { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true },
      onLoadPackageDefinition: (pkg, server) => new ReflectionService(pkg).addToServer(server),
    },
  });
  await app.startAllMicroservices();
  await app.listen(config.PORT);
  await projector.start();
  const retention = scheduleRetention(models, config.RETENTION_DAYS, config.RETENTION_INTERVAL_MS, log);
  log.info({ port: config.PORT, grpcPort: config.GRPC_PORT, generation: await models.activeGeneration() }, 'query service started');

  return {
    app, models, lag,
    async stop() {
      retention.stop();
      await projector.stop().catch((err: Error) => log.warn({ err: err.message }, 'projector stop failed'));
      await app.close();
      await lag.close();
      await models.close();
    },
  };
}
