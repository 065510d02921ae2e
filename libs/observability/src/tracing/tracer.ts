import { trace, type Tracer } from '@opentelemetry/api';

const TRACER_NAME = '@hookline/observability';

/** The tracer for spans this library starts itself; resolved on each call so it follows whichever provider is registered. */
export function hooklineTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}
