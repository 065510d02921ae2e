import 'reflect-metadata';
import { ReflectionService } from '@grpc/reflection';
import { createKafka } from '@hookline/kafka';
import { loadConfig } from '@hookline/config';
import { EndpointId, TenantId } from '@hookline/contracts';
import { Logger, Metrics, NestLoggerAdapter, contextLogFields, requestTraceContext } from '@hookline/observability';
import { COMMAND_PACKAGE, COMMAND_PROTO, PROTO_ROOT } from '@hookline/proto';
import { ProblemError, StablePrototypeExpressAdapter, corsOptions, createValidationPipe, failStartup, onShutdownSignal } from '@hookline/service-kit';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { CommandServiceModule } from './app.module';
import { COMMAND_ENV } from './config';
import { forgetExpiredPortalSessions } from './commands/create-portal-session/expired-portal-sessions';
import { PublishMessageHandler } from './commands/publish-message/publish-message.handler';
import { ENDPOINT } from './infrastructure/aggregates/aggregate-kinds';
import { rebuildWriteModel } from './infrastructure/aggregates/rebuild-write-model';
import { CommandConfig, CommandInfrastructure, openInfrastructure } from './infrastructure/infrastructure';
import { followLog } from './infrastructure/message-index/log-follower';
import { MESSAGE_INDEX_DAYS } from './infrastructure/message-index/message-index';
import { forwardOperationalEvents } from './infrastructure/operational-webhooks/forward-operational-events';
import { startAmqpSources } from './ingest/amqp/start-amqp-sources';
import { markOversizeIngestBody } from './ingest/http/oversize-body';
import { startKafkaSources } from './ingest/kafka-source-consumer';
import { requireDistinctSourceNames } from './ingest/source-settings';
import { OPENAPI_IMPORT_PATH } from './commands/import-event-types/import-event-types.http.controller';
import { INGEST_PATH, requireJsonContentType } from './shared/json-content-type.middleware';
import { documentIdempotencyKey } from './shared/openapi-idempotency';

const VERSION = process.env.npm_package_version ?? '0.1.0';

export interface RunningCommandService {
  infra: CommandInfrastructure;
  app: NestExpressApplication;
  /** Stops accepting requests, lets in-flight ones finish, flushes the outbox, disconnects. */
  stop(): Promise<void>;
}

/**
 * Builds and starts the command service for `config`: infrastructure first (so failures are one clear line), then
 * REST and gRPC. Used by main.ts and by the integration tests, which run it in-process.
 */
export async function runCommandService(config: CommandConfig, logger: Logger, metrics: Metrics): Promise<RunningCommandService> {
  const infra = await openInfrastructure(config, logger, metrics);
  // Whatever was opened is closed again when a later step fails (a taken port, say), so an in-process caller can
  // retry or exit without a Kafka consumer, the relay loop and a Postgres pool left running.
  const opened: Array<() => Promise<unknown>> = [() => infra.ds.destroy(), () => infra.producer.disconnect(), () => infra.relay.stop()];
  const closeOpened = async () => {
    for (const close of opened.reverse()) await close().catch((err) => logger.warn({ err }, 'cleanup after failed start-up failed'));
  };
  try {
    return await startServing(infra, opened, logger, metrics);
  } catch (err) {
    await closeOpened();
    throw err;
  }
}

async function startServing(
  infra: CommandInfrastructure,
  opened: Array<() => Promise<unknown>>,
  logger: Logger,
  metrics: Metrics,
): Promise<RunningCommandService> {
  const { config } = infra;
  const [{ count }] = await infra.ds.query(`SELECT count(*)::int AS count FROM aggregates`);
  if (count === 0) {
    const rebuilt = await rebuildWriteModel(infra.kafka, infra.ds, config.KAFKA_TOPIC_PREFIX);
    if (rebuilt) logger.info({ aggregates: rebuilt }, 'write model rebuilt from the config topic');
  }
  infra.relay.start();

  const app = await NestFactory.create<NestExpressApplication>(CommandServiceModule.forRoot(infra), new StablePrototypeExpressAdapter(), {
    logger: new NestLoggerAdapter(logger),
    bodyParser: false,
  });
  opened.push(() => app.close());
  if (config.TRUST_PROXY) app.set('trust proxy', true);
  // Every answer is a write's result; an ETag (a SHA-1 of each response body, by default) serves no cache here.
  app.set('etag', false);
  // First, so requests refused by the content-type check or the body parser are counted too.
  app.use(requestMetrics(metrics, logger));
  // Before the content-type check: a browser's preflight (OPTIONS, no body) is answered here.
  app.enableCors(corsOptions(config.CORS_ORIGINS));
  app.use(requireJsonContentType);
  // Before the JSON parser, which then leaves these requests alone: a provider's signature is over the body's bytes,
  // so /ingest gets them as sent (any content type; the route itself refuses what is not JSON, after verifying).
  app.useBodyParser('raw', { type: (req: Request) => INGEST_PATH.test(req.path), limit: config.MAX_PAYLOAD_BYTES + 64 * 1024 });
  // A body over that limit goes on to the route (413 there, recorded for its source) instead of ending here.
  app.use(markOversizeIngestBody);
  // An OpenAPI document may be far larger than any message: read with its own limit, on its import route only.
  app.useBodyParser('json', { type: (req: Request) => OPENAPI_IMPORT_PATH.test(req.path), limit: config.OPENAPI_IMPORT_MAX_BYTES });
  app.useBodyParser('json', { limit: config.MAX_PAYLOAD_BYTES + 64 * 1024 });
  app.useGlobalPipes(createValidationPipe());

  const document = documentIdempotencyKey(SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Hookline command API')
      .setDescription('Write side of Hookline: tenants, API keys, event types, endpoints and messages. Errors are RFC 9457 problem+json.')
      .setVersion(VERSION)
      .addBearerAuth()
      .build(),
  ));
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
  },
  // Without it the gRPC server gets none of the app's global enhancers: every refusal left as
  // UNKNOWN "Internal server error" instead of its status (the problem filter), and inputs went unchecked.
  { inheritAppConfig: true },
  );

  const follower = await followLog(infra.kafka, infra.ds, config.KAFKA_TOPIC_PREFIX, {
    onEndpointAutoDisabled: async (tenantId, endpointId, reason, detail, causationId, endpointVersion) => {
      try {
        await infra.store.execute(ENDPOINT, { tenantId, aggregateId: endpointId as EndpointId }, { type: 'DisableEndpoint', data: { reason, detail } }, {
          actor: { kind: 'system', id: 'dispatcher' },
          correlationId: `auto-disable-${endpointId}`,
          causationId,
          // Only the version the dispatcher judged: a re-enable (or any change) since then wins, even on a replay.
          expectedVersion: endpointVersion,
        });
      } catch (err) {
        // A refusal (endpoint deleted meanwhile, or waiting for approval) is final; anything else (Postgres or Kafka
        // down) is thrown so the batch is not committed and the request is retried instead of silently dropped.
        if (!(err instanceof ProblemError)) throw err;
        logger.warn({ err, endpointId }, 'could not disable endpoint as the dispatcher asked');
      }
    },
    onForwardable: config.OPERATIONAL_WEBHOOKS_TENANT_ID
      ? (events) => forwardOperationalEvents(events, config.OPERATIONAL_WEBHOOKS_TENANT_ID as TenantId, infra.appender)
      : undefined,
    onError: (err) => logger.error({ err }, 'log follower failed'),
  });
  opened.push(() => follower.stop());

  // After the log follower: a source's records become messages through the same handler as POST /messages.
  requireDistinctSourceNames({ KAFKA_SOURCES: config.KAFKA_SOURCES, AMQP_SOURCES: config.AMQP_SOURCES });
  const sources = await startKafkaSources(config.KAFKA_SOURCES, {
    kafkaFor: (source) => (source.brokers
      ? createKafka({ brokers: source.brokers, clientId: `hookline-source-${source.name}`, topicPrefix: config.KAFKA_TOPIC_PREFIX }, logger)
      : infra.kafka),
    publisher: app.get(PublishMessageHandler),
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    metrics,
    log: logger,
  });
  opened.push(() => sources.stop());
  const amqpSources = await startAmqpSources(config.AMQP_SOURCES, { publisher: app.get(PublishMessageHandler), metrics, log: logger });
  opened.push(() => amqpSources.stop());

  await app.startAllMicroservices();
  await app.listen(config.PORT, config.HOST);

  const purge = setInterval(() => {
    void infra.idempotency.purgeExpired().catch(() => undefined);
    void infra.relay.purgeSent(config.IDEMPOTENCY_TTL_HOURS).catch(() => undefined);
    void infra.messageIndex.purgeOlderThan(MESSAGE_INDEX_DAYS).catch(() => undefined);
    void forgetExpiredPortalSessions(infra.ds).catch(() => undefined);
  }, 60_000);
  purge.unref();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(purge);
      await Promise.all([sources.stop(), amqpSources.stop()]);
      await app.close();
      await follower.stop();
      await infra.relay.stop();
      await infra.producer.disconnect();
      await infra.ds.destroy();
    })());
  return { infra, app, stop };
}

/** Process entry: configuration from the environment, shutdown on SIGTERM/SIGINT. */
export async function startCommandService(logger: Logger, metrics: Metrics): Promise<void> {
  let running: RunningCommandService;
  try {
    const config = loadConfig(COMMAND_ENV);
    running = await runCommandService(config, logger, metrics);
    logger.info({ port: config.PORT, grpcPort: config.GRPC_PORT }, 'command-service ready');
    onShutdownSignal(() => running.stop(), config.SHUTDOWN_TIMEOUT_MS, (msg) => logger.info(msg));
  } catch (err) {
    failStartup('command-service', err);
  }
}

function requestMetrics(metrics: Metrics, logger: Logger) {
  const requests = metrics.counter('http_requests_total', 'REST requests by route and status', ['method', 'route', 'status']);
  const errors = metrics.counter('http_request_errors_total', 'REST requests answered with a 4xx or 5xx status, by route and status', ['method', 'route', 'status']);
  const duration = metrics.histogram('http_request_duration_seconds', 'REST request latency', ['method', 'route'], [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
  return (req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    // The request's trace, read now: 'finish' fires outside the request's span (if tracing opened one), and the access
    // line should carry its ids. Only when that line is written: it is debug, and this runs for every request.
    const requestTrace = logger.isLevelEnabled('debug') ? requestTraceContext(req.headers) : undefined;
    res.on('finish', () => {
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      const status = String(res.statusCode);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      requests.inc({ method: req.method, route, status });
      if (res.statusCode >= 400) errors.inc({ method: req.method, route, status });
      duration.observe({ method: req.method, route }, seconds);
      const tenant = req.params?.['tenantId'];
      if (requestTrace) {
        logger.debug({ ...contextLogFields(requestTrace), method: req.method, route, status: res.statusCode, duration_ms: Math.round(seconds * 1000),
          ...(tenant ? { tenant_id: tenant } : {}) }, 'request');
      }
    });
    next();
  };
}
