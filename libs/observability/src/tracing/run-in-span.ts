import { context, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';

/**
 * Runs `fn` with `ctx` active, marks `span` as failed if `fn` throws or rejects (the error is rethrown unchanged), and ends the
 * span when `fn` settles.
 */
export async function runInSpan<T>(span: Span, ctx: Context, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await context.with(ctx, fn);
  } catch (error) {
    markFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

function markFailed(span: Span, error: unknown): void {
  if (error instanceof Error) {
    span.recordException(error);
    span.setAttribute('error.type', error.name);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else {
    span.setAttribute('error.type', '_OTHER');
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
  }
}
