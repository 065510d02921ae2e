import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOffSampler, BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { ExplicitContextManager } from './explicit-context-manager';

/** What {@link startTracing} needs: the service identity for the trace resource, and the environment to read OTEL_* from. */
export interface TracingOptions {
  /** `service.name` on every span, e.g. `dispatcher`. */
  serviceName: string;
  /** `service.version` on every span, e.g. the package version or image tag. */
  serviceVersion: string;
  /**
   * Where `OTEL_SDK_DISABLED`, `OTEL_EXPORTER_OTLP_ENDPOINT` and `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` are read; defaults to
   * `process.env`. The SDK itself still reads its other variables (`OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_TRACES_SAMPLER`,
   * `OTEL_RESOURCE_ATTRIBUTES`, …) from `process.env`.
   */
  env?: NodeJS.ProcessEnv;
  /**
   * When the active trace context follows the work through `await`s (AsyncLocalStorage): `always` (the default), or
   * `when-exporting`, for a service that passes every parent context explicitly (the dispatcher: each Kafka record's
   * headers). Without an exporter such a service then keeps no ambient context and loads no instrumentation: trace ids
   * still exist and still travel wherever the code passes them, but log lines carry only the ids they are given.
   */
  ambientContext?: 'always' | 'when-exporting';
}

/** The running tracing SDK, as returned by {@link startTracing}. */
export interface TracingHandle {
  /**
   * Exports the spans still buffered, then stops the SDK and its instrumentations. Call it from the service's SIGTERM path after
   * the Nest app has closed (so the spans of the shutdown itself are exported too). Calling it again returns the same promise.
   */
  shutdown(): Promise<void>;
}

// Probes and scrapes hit every instance every few seconds; tracing them only buries real traffic.
const UNTRACED_INCOMING_PATH = /^\/(healthz|readyz|metrics)(\?|$)/;

let running = false;

/**
 * Starts OpenTelemetry tracing for this process: a tracer provider with `service.name`/`service.version`, the W3C `traceparent`
 * propagator, and the http, undici and grpc instrumentations, plus express and pg when spans are exported (pg only inside a traced
 * operation; an undici request that already carries a `traceparent` keeps it as the only one). Spans go to OTLP/HTTP at
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is) or `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, sampled as
 * `OTEL_TRACES_SAMPLER`/`OTEL_TRACES_SAMPLER_ARG` say (default: every trace). With neither endpoint set, spans are not recorded
 * (nothing would read them, and recording costs the hot path about a sixth of its CPU) but trace ids still exist and still
 * propagate, with the sampled flag off, so logs carry them and webhook receivers still get a `traceparent`.
 * `OTEL_SDK_DISABLED=true` turns all of it off (no ids, no propagation).
 *
 * It must run before `@nestjs/*`, `express`, `pg`, `@grpc/grpc-js` or `undici` are first required: the instrumentations patch
 * those modules when they load, and a module loaded earlier stays unpatched. TypeScript emits `require`s in import order, so give
 * it its own file and make that the first import of `main.ts`:
 *
 * ```ts
 * // apps/dispatcher/src/tracing.ts
 * export const tracing = startTracing({ serviceName: 'dispatcher', serviceVersion: '0.1.0' });
 * // apps/dispatcher/src/main.ts
 * import { tracing } from './tracing'; // first line
 * import { NestFactory } from '@nestjs/core';
 * ```
 *
 * This library only loads `@nestjs/common` and `kafkajs` for their types, so importing it first is safe.
 * Calling it twice without shutting down in between throws.
 */
export function startTracing({ serviceName, serviceVersion, env = process.env, ambientContext = 'always' }: TracingOptions): TracingHandle {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') {
    return { shutdown: async () => undefined };
  }
  if (running) {
    throw new Error('startTracing() was already called in this process: call it once, at the top of main.ts');
  }

  const tracesUrl = otlpTracesUrl(env);
  const exporting = tracesUrl !== undefined;
  const ambient = exporting || ambientContext === 'always';
  // The instrumentations find their parent span in the ambient context; without one they would only start orphan traces.
  const instrumentations = ambient ? createInstrumentations(exporting) : [];
  const sdk = new NodeSDK({
    // Given again beside the resource so that OTEL_SERVICE_NAME, merged in by resource detection, cannot rename the service.
    serviceName,
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName, [ATTR_SERVICE_VERSION]: serviceVersion }),
    // Trace context only: baggage would carry our internal key/values to third-party webhook receivers.
    textMapPropagator: new W3CTraceContextPropagator(),
    spanProcessors: createSpanProcessors(tracesUrl),
    // Without an exporter: ids and propagation only. With one, undefined lets the SDK read OTEL_TRACES_SAMPLER.
    ...(exporting ? {} : { sampler: new AlwaysOffSampler() }),
    // Logs go through pino and metrics through prom-client; an empty list stops the SDK from defaulting to OTLP for them.
    logRecordProcessors: [],
    instrumentations,
    ...(ambient ? {} : { contextManager: new ExplicitContextManager() }),
  });
  sdk.start();
  running = true;

  let stopped: Promise<void> | undefined;
  return {
    shutdown: () => {
      stopped ??= sdk.shutdown().finally(() => {
        for (const instrumentation of instrumentations) instrumentation.disable();
        running = false;
      });
      return stopped;
    },
  };
}

function createSpanProcessors(url: string | undefined): SpanProcessor[] {
  // Without an exporter the SDK would register no tracer provider at all, and then no trace id would exist to put in logs or
  // in the traceparent sent to receivers. A processor that drops every span keeps the provider (and the ids) alive.
  if (url === undefined) return [new NoopSpanProcessor()];
  return [new BatchSpanProcessor(new OTLPTraceExporter({ url }))];
}

function otlpTracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  const tracesEndpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim();
  if (tracesEndpoint) return tracesEndpoint;
  const endpoint = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  if (!endpoint) return undefined;
  // The OTLP spec: the generic endpoint is a base URL and the signal path is appended to it.
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/** Whether undici request headers (an array of name/value pairs since undici 6, a raw header block before) hold a traceparent. */
function hasTraceparent(headers: string | ReadonlyArray<string | string[]> | undefined): boolean {
  if (typeof headers === 'string') return /(^|\r\n)traceparent:/i.test(headers);
  if (!Array.isArray(headers)) return false;
  for (let i = 0; i < headers.length; i += 2) {
    if (String(headers[i]).toLowerCase() === 'traceparent') return true;
  }
  return false;
}

/**
 * Without an exporter only what carries trace context across processes is kept (http, undici, grpc): the express and pg
 * instrumentations would only make child spans nobody reads, and express wraps every middleware of every request.
 */
function createInstrumentations(exporting: boolean): Instrumentation[] {
  return [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => UNTRACED_INCOMING_PATH.test(req.url ?? '') }),
    ...(exporting
      ? [
        new ExpressInstrumentation(),
        // Query parameters carry signing secrets and payloads: keep them out of span attributes.
        // Only queries made for traced work: the retry poller and projector queries would otherwise each start a trace of
        // their own, every second, burying the message traces.
        new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
      ]
      : []),
    // A request that already carries a traceparent was propagated on purpose (the dispatcher's attempt span): a second
    // header from the instrumentation would reach the receiver as "traceparent: <ours>, <its>", which no parser accepts.
    new UndiciInstrumentation({ ignoreRequestHook: (request) => hasTraceparent(request.headers) }),
    new GrpcInstrumentation(),
  ];
}
