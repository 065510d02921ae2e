/** What an attempt knows of its message and endpoint that a transformation may use. */
export interface TransformationSubject {
  message_id: string;
  event_type: string;
  /** ISO 8601: when the message was published (the standard body's `timestamp`). */
  published_at: string;
  payload: unknown;
  channels: string[];
  endpoint_id: string | null;
  attempt: number;
}

/**
 * What an expression is evaluated against: the standard webhook body `{ type, timestamp, data }` (what the endpoint
 * would get without one), and as bindings `$message_id`, `$endpoint_id`, `$channels` and `$attempt`, what a receiver
 * otherwise reads from the headers. One definition for the dispatcher and for previews, so a preview is what is sent.
 */
export function transformationInput(s: TransformationSubject): { input: unknown; bindings: Record<string, unknown> } {
  return {
    input: { type: s.event_type, timestamp: s.published_at, data: s.payload },
    bindings: { message_id: s.message_id, endpoint_id: s.endpoint_id, channels: s.channels, attempt: s.attempt },
  };
}
