import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** Test-only tracing: a registered provider whose finished spans land in `exporter`, and a `stop()` that unregisters it all. */
export interface InMemoryTracing {
  exporter: InMemorySpanExporter;
  stop(): Promise<void>;
}

/** Registers a tracer provider, AsyncLocalStorage context and the W3C propagator, the way `startTracing` would. */
export function startInMemoryTracing(): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return {
    exporter,
    stop: async () => {
      await provider.shutdown();
      disableOpenTelemetryGlobals();
    },
  };
}

/** Unregisters the global tracer provider, context manager and propagator, so the next test can register its own. */
export function disableOpenTelemetryGlobals(): void {
  trace.disable();
  context.disable();
  propagation.disable();
}
