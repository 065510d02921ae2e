import { Envelope } from './envelope';
import { HooklineEvent } from './events';

/** An envelope whose `type` and `data` match one of the event bodies of union E. */
/** Any Hookline event with its envelope: the shape of every record on every topic. */
export type HooklineEnvelope = EventOf<HooklineEvent>;

export type EventOf<E extends { type: string; data: unknown }> = E extends unknown ? Envelope<E['type'], E['data']> : never;

export class EventDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventDecodeError';
  }
}

/** Serialises an envelope to the bytes that go on the topic. */
export function encodeEvent(event: Envelope): Buffer {
  return Buffer.from(JSON.stringify(event));
}

const REQUIRED_FIELDS = ['id', 'type', 'occurred_at', 'tenant_id', 'source', 'correlation_id', 'data'] as const;

/**
 * Parses bytes from a topic into an envelope. Only the envelope is checked here (it is hot-path code); the
 * published JSON Schemas (`eventSchemas`) validate whole events for tests and for consumers that want it.
 */
export function decodeEvent(bytes: Buffer | string | null): EventOf<HooklineEvent> {
  if (bytes === null) throw new EventDecodeError('empty message (tombstone)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (err) {
    throw new EventDecodeError(`not JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new EventDecodeError('event is not a JSON object');
  for (const field of REQUIRED_FIELDS) {
    if (!(field in parsed)) throw new EventDecodeError(`event lacks envelope field "${field}"`);
  }
  return upcast(parsed as EventOf<HooklineEvent>);
}

/**
 * Old event versions are turned into the current shape here, so consumers only ever handle current types.
 * There is only v1 today; a v2 adds a case that maps v1 to v2.
 */
function upcast(event: EventOf<HooklineEvent>): EventOf<HooklineEvent> {
  return event;
}
