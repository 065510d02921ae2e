/** What a broker client's errors carry, read duck-typed: kafkajs and amqplib wrap what failed underneath as `cause`. */
export interface ErrorCause {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  type?: unknown;
  broker?: unknown;
  cause?: unknown;
}

/** The error and its causes, outermost first (at most 8: a cycle or a deep chain says nothing more). */
export function causesOf(error: unknown): ErrorCause[] {
  const out: ErrorCause[] = [];
  for (let e = error; typeof e === 'object' && e !== null && out.length < 8; e = (e as ErrorCause).cause) out.push(e as ErrorCause);
  return out;
}

/** A field that should be text, or '' when it is not. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
