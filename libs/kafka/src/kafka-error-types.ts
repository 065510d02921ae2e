/**
 * The Kafka error codes (kafkajs' `type`, e.g. UNKNOWN_TOPIC_OR_PARTITION) an error carries, however kafkajs wrapped
 * them: a retrier's bail or exhausted retries keep the protocol error as `originalError` or `cause`, a request over
 * several partitions or topics gathers them in `errors`. Callers decide by code, never by message text.
 */
export function kafkaErrorTypes(err: unknown): Set<string> {
  const types = new Set<string>();
  const visit = (e: unknown, depth: number): void => {
    if (typeof e !== 'object' || e === null || depth > 3) return;
    const { type, originalError, cause, errors } = e as { type?: unknown; originalError?: unknown; cause?: unknown; errors?: unknown };
    if (typeof type === 'string') types.add(type);
    for (const inner of [originalError, cause, ...(Array.isArray(errors) ? errors : [])]) visit(inner, depth + 1);
  };
  visit(err, 0);
  return types;
}
