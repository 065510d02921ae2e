/**
 * @hookline/observability: tracing, Kafka trace propagation, redacting JSON logs and Prometheus metrics for every service.
 * Importing it loads none of the modules the instrumentations patch (it uses `@nestjs/common` and `kafkajs` for types only),
 * so `startTracing` can run before any of them.
 */

/** Tracing: start the SDK first thing in `main.ts`; read the active trace id for logs, responses and outgoing headers. */
export { startTracing, type TracingHandle, type TracingOptions } from './tracing/start-tracing';
export { contextLogFields, currentTraceId, currentTraceparent, requestTraceContext, traceLogFields } from './tracing/trace-context';

/** Kafka trace propagation: W3C trace headers on messages, and producer/consumer spans with messaging attributes. */
export { extractTraceContext, injectTraceHeaders } from './kafka/kafka-trace-headers';
export { startLinkedSpan, withConsumerSpan, withProducerSpan, type RecordSpan } from './kafka/kafka-spans';
export type { KafkaMessageAttributes } from './kafka/kafka-message-attributes';

/** Logging: pino JSON lines with service, trace ids and credential redaction, and the same logger behind Nest. */
export { createLogger, type LoggerOptions } from './logging/create-logger';
export { NestLoggerAdapter } from './logging/nest-logger.adapter';
export { maskSecretValues, REDACTED } from './logging/secret-values';
/** The logger {@link createLogger} returns (pino's `Logger`). */
export type { Logger } from 'pino';

/** Metrics: one prom-client registry per service, memoised typed declarations, and a framework-agnostic `/metrics` body. */
export { createMetrics, type Metrics, type MetricsOptions, type MetricsResponse } from './metrics/create-metrics';
