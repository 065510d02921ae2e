import type { SourceEventTypeV1 } from '@hookline/contracts';

/** How a source reads a message out of what arrives (a Kafka record, or a provider's webhook). */
export interface IncomingSpec {
  event_type: SourceEventTypeV1;
  /** A dot path of the JSON value whose value is the payload; null: the whole value. */
  payload_field: string | null;
}

export type IncomingRead =
  | { ok: true; event_type: string; payload: unknown }
  | { ok: false; reason: 'no_event_type' | 'no_payload'; detail: string; pointer: string };

/**
 * The value at a dot path (`data.object.id`) of a parsed JSON value: through objects by name and arrays by index;
 * undefined when any step is missing. Own properties only, so `constructor` or `__proto__` find nothing.
 */
export function valueAt(value: unknown, path: string): unknown {
  let at: unknown = value;
  for (const step of path.split('.')) {
    if (typeof at !== 'object' || at === null || !Object.prototype.hasOwnProperty.call(at, step)) return undefined;
    at = (at as Record<string, unknown>)[step];
  }
  return at;
}

/**
 * Reads the event type and the payload of one incoming value: the event type from a header, a field (dot path) or
 * the source's fixed type; the payload is the value or one field of it. `what` names the value in refusals ("record
 * value", "body"); a refusal also gives a pointer to where it looked (`header:x-github-event`, `/data/type`).
 */
export function readIncoming(spec: IncomingSpec, value: unknown, header: (name: string) => string | undefined, what: string): IncomingRead {
  const from = spec.event_type;
  const eventType = from.from === 'fixed' ? from.event_type : from.from === 'header' ? header(from.header) : valueAt(value, from.path);
  if (typeof eventType !== 'string' || eventType === '') {
    const where = from.from === 'header' ? `header ${from.header}` : from.from === 'field' ? `field ${from.path}` : 'source';
    return { ok: false, reason: 'no_event_type', detail: `no event type in the ${where}`, pointer: pointerOf(from.from === 'header' ? { header: from.header } : { path: from.from === 'field' ? from.path : '' }) };
  }
  const payload = spec.payload_field === null ? value : valueAt(value, spec.payload_field);
  if (payload === undefined) {
    return { ok: false, reason: 'no_payload', detail: `no field ${spec.payload_field} in the ${what}`, pointer: pointerOf({ path: spec.payload_field ?? '' }) };
  }
  return { ok: true, event_type: eventType, payload };
}

/** Where a value was looked for, as a problem's pointer: `header:<name>`, or the JSON pointer of a dot path. */
export function pointerOf(where: { header: string } | { path: string }): string {
  if ('header' in where) return `header:${where.header}`;
  return where.path === '' ? '' : `/${where.path.split('.').map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}
