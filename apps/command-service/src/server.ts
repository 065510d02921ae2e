import 'reflect-metadata';
import { ReflectionService } from '@grpc/reflection';
import { loadConfig } from '@hookline/config';
import { EndpointId } from '@hookline/contracts';
import { Logger, Metrics, NestLoggerAdapter } from '@hookline/observability';
import { COMMAND_PACKAGE, COMMAND_PROTO, PROTO_ROOT } from '@hookline/proto';
import { createValidationPipe, failStartup, onShutdownSignal } from '@hookline/service-kit';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { CommandServiceModule } from './app.module';
import { COMMAND_ENV } from './config';
import { ENDPOINT } from './infrastructure/aggregates/aggregate-kinds';
import { rebuildWriteModel } from './infrastructure/aggregates/rebuild-write-model';
import { CommandInfrastructure, openInfrastructure } from './infrastructure/infrastructure';
import { followLog } from './infrastructure/message-index/log-follower';

const VERSION = process.env.npm_package_version ?? '0.1.0';

/** Starts the command service: infrastructure first (clear one-line failures), then REST and gRPC. */
export async function startCommandService(logger: Logger, metrics: Metrics): Promise<void> {
  let infra: CommandInfrastructure;
  try {
    const config = loadConfig(COMMAND_ENV);
    infra = await openInfrastructure(config, logger, metrics);
  } catch (err) {
    failStartup('command-service', err);
  }
  const { config } = infra;

  const [{ count }] = await infra.ds.query(`SELECT count(*)::int AS count FROM aggregates`);
  if (count === 0) {
    const rebuilt = await rebuildWriteModel(infra.kafka, infra.ds, config.KAFKA_TOPIC_PREFIX);
    if (rebuilt) logger.info({ aggregates: rebuilt }, 'write model rebuilt from the config topic');
  }
  infra.relay.start();

  const app = await NestFactory.create<NestExpressApplication>(CommandServiceModule.forRoot(infra), {
    logger: new NestLoggerAdapter(logger),
    bodyParser: false,
  });
  if (config.TRUST_PROXY) app.set('trust proxy', true);
  app.useBodyParser('json', { limit: config.MAX_PAYLOAD_BYTES + 64 * 1024 });
  app.useGlobalPipes(createValidationPipe());
  app.use(requestMetrics(metrics));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Hookline command API')
      .setDescription('Write side of Hookline: tenants, API keys, event types, endpoints and messages. Errors are RFC 9457 problem+json.')
      .setVersion(VERSION)
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });

  app.connectMicroservice<MicroserviceOptions>({
    transport: Transport.GRPC,
    options: {
      package: COMMAND_PACKAGE,
      protoPath: COMMAND_PROTO,
      url: `${config.HOST}:${config.GRPC_PORT}`,
      loader: { keepCase: true, longs: Number, enums: String, defaults: true, includeDirs: [PROTO_ROOT] },
      onLoadPackageDefinition: (pkg, server) => new ReflectionService(pkg).addToServer(server),
    },
  });

  const follower = await followLog(infra.kafka, infra.ds, config.KAFKA_TOPIC_PREFIX, {
    onEndpointAutoDisabled: async (tenantId, endpointId, reason, detail) => {
      await infra.store
        .execute(ENDPOINT, { tenantId, aggregateId: endpointId as EndpointId }, { type: 'DisableEndpoint', data: { reason, detail } }, {
          actor: { kind: 'system', id: 'dispatcher' },
          correlationId: `auto-disable-${endpointId}`,
        })
        .catch((err) => logger.warn({ err, endpointId }, 'could not disable endpoint as the dispatcher asked'));
    },
    onError: (err) => logger.error({ err }, 'log follower failed'),
  });

  await app.startAllMicroservices();
  await app.listen(config.PORT, config.HOST);
  logger.info({ port: config.PORT, grpcPort: config.GRPC_PORT }, 'command-service ready');

  const purge = setInterval(() => {
    void infra.idempotency.purgeExpired().catch(() => undefined);
    void infra.messageIndex.purgeOlderThan(14).catch(() => undefined);
  }, 60_000);
  purge.unref();

  onShutdownSignal(
    async () => {
      clearInterval(purge);
      await app.close(); // stops accepting requests; in-flight ones finish
      await follower.stop();
      await infra.relay.stop();
      await infra.producer.disconnect();
      await infra.ds.destroy();
    },
    config.SHUTDOWN_TIMEOUT_MS,
    (msg) => logger.info(msg),
  );
}

function requestMetrics(metrics: Metrics) {
  const requests = metrics.counter('http_requests_total', 'REST requests by route and status', ['method', 'route', 'status']);
  const duration = metrics.histogram('http_request_duration_seconds', 'REST request latency', ['method', 'route'], [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
  return (req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      duration.observe({ method: req.method, route }, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
}
