import { SourceHandshakeV1, SourceRateLimitV1, SourceSettingsV1, SourceVerificationV1 } from '@hookline/contracts';
import { assertNever } from '../shared/decision';

/** A source's name: what people find it by in lists and logs (its id is what providers are given). */
export const SOURCE_NAME_MAX = 64;
/** A source's description, free text for people. */
export const SOURCE_DESCRIPTION_MAX = 2000;
/** Clock skew a timestamped signature (Standard Webhooks, Stripe) is accepted with, unless the source sets its own. */
export const DEFAULT_SOURCE_TOLERANCE_SECONDS = 300;
/** A longer tolerance would let an old, captured request be replayed for longer than any provider's clock needs. */
export const MAX_SOURCE_TOLERANCE_SECONDS = 3600;
/** The ceiling of an endpoint's and an API key's `rate_limit_per_second`, which a source's `rate_limit` shares. */
export const MAX_SOURCE_RATE_LIMIT_PER_SECOND = 100_000;
/** The rules of a message's channels (POST /messages), which every message of a source carries. */
export const MAX_SOURCE_CHANNELS = 10;
const CHANNEL = /^[\w.:-]{1,128}$/;
/** RFC 9110 token, lower case: headers are matched case-insensitively, so one spelling is kept. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]{1,64}$/;
/** `data.object.id`: names (or array indices) joined by dots, none empty. */
const DOT_PATH = /^[^.\s]{1,128}(\.[^.\s]{1,128}){0,15}$/;
const EVENT_TYPE = /^[\w.:-]{1,128}$/;

/**
 * Everything wrong with a source's settings, as `/pointer: detail` lines (the form DomainError.details takes). The
 * secrets are sealed by then; their own format (a `whsec_` secret for Standard Webhooks) is checked before sealing.
 */
export function sourceSettingsProblems(s: SourceSettingsV1): string[] {
  const problems: string[] = [];
  const name = s.name.trim();
  if (name.length === 0 || s.name.length > SOURCE_NAME_MAX) problems.push(`/name: 1 to ${SOURCE_NAME_MAX} characters, not only spaces`);
  if (s.description.length > SOURCE_DESCRIPTION_MAX) problems.push(`/description: at most ${SOURCE_DESCRIPTION_MAX} characters`);
  problems.push(...verificationProblems(s.verification), ...handshakeProblems(s.handshake ?? null, s.verification));
  switch (s.event_type.from) {
    case 'header':
      if (!HEADER_NAME.test(s.event_type.header)) problems.push('/event_type/header: a lower-case header name');
      break;
    case 'field':
      if (!DOT_PATH.test(s.event_type.path)) problems.push('/event_type/path: a dot path of the JSON body, e.g. type or data.kind');
      break;
    case 'fixed':
      if (!EVENT_TYPE.test(s.event_type.event_type)) problems.push('/event_type/event_type: an event type name (letters, digits, _ . : -)');
      break;
    default:
      assertNever(s.event_type);
  }
  if (s.idempotency?.from === 'header' && !HEADER_NAME.test(s.idempotency.header)) problems.push('/idempotency/header: a lower-case header name');
  if (s.idempotency?.from === 'field' && !DOT_PATH.test(s.idempotency.path)) problems.push('/idempotency/path: a dot path of the JSON body, e.g. id');
  if (s.payload_field !== null && !DOT_PATH.test(s.payload_field)) problems.push('/payload_field: a dot path of the JSON body, e.g. data.object');
  problems.push(...rateLimitProblems(s.rate_limit ?? null));
  if (s.channels !== null) {
    if (s.channels.length > MAX_SOURCE_CHANNELS) problems.push(`/channels: at most ${MAX_SOURCE_CHANNELS} channels`);
    s.channels.forEach((c, i) => {
      if (!CHANNEL.test(c)) problems.push(`/channels/${i}: channels are 1 to 128 letters, digits, _ . : -`);
    });
  }
  return problems;
}

function verificationProblems(v: SourceVerificationV1): string[] {
  const tolerance = (seconds: number) => (Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_SOURCE_TOLERANCE_SECONDS
    ? []
    : [`/verification/tolerance_seconds: whole seconds from 1 to ${MAX_SOURCE_TOLERANCE_SECONDS}`]);
  switch (v.type) {
    case 'standard_webhooks':
    case 'stripe':
      return tolerance(v.tolerance_seconds);
    case 'v0_hmac':
      return [
        ...(HEADER_NAME.test(v.header) ? [] : ['/verification/header: a lower-case header name']),
        ...(HEADER_NAME.test(v.timestamp_header) ? [] : ['/verification/timestamp_header: a lower-case header name']),
        ...tolerance(v.tolerance_seconds),
      ];
    case 'hmac':
      return [
        ...(HEADER_NAME.test(v.header) ? [] : ['/verification/header: a lower-case header name']),
        ...(v.prefix.length <= 32 && !/[\s,]/.test(v.prefix) ? [] : ['/verification/prefix: at most 32 characters, no spaces or commas']),
      ];
    case 'basic_auth':
      return v.username.length >= 1 && v.username.length <= 256 && !v.username.includes(':') ? [] : ['/verification/username: 1 to 256 characters, no colon'];
    case 'api_key':
      return HEADER_NAME.test(v.header) ? [] : ['/verification/header: a lower-case header name'];
    case 'none':
    case 'graph_client_state':
      return [];
    default:
      return assertNever(v);
  }
}

function rateLimitProblems(limit: SourceRateLimitV1 | null): string[] {
  if (limit === null) return [];
  const whole = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_SOURCE_RATE_LIMIT_PER_SECOND;
  return (['per_second', 'burst'] as const).filter((field) => !whole(limit[field]))
    .map((field) => `/rate_limit/${field}: a whole number of requests from 1 to ${MAX_SOURCE_RATE_LIMIT_PER_SECOND}`);
}

function handshakeProblems(h: SourceHandshakeV1 | null, v: SourceVerificationV1): string[] {
  if (h === null) return [];
  switch (h.type) {
    case 'zoom':
      // Zoom's answer is an HMAC of its token with the secret Zoom signs events with: the verification's.
      return v.type === 'v0_hmac' ? [] : ['/handshake: the Zoom handshake is answered with the source\'s Zoom secret token; set verification to zoom'];
    case 'slack':
    case 'meta':
    case 'microsoft_graph':
      return [];
    default:
      return assertNever(h);
  }
}
