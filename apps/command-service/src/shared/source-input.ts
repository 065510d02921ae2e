import Ajv, { ErrorObject } from 'ajv';
import { SourceEventTypeV1, SourceHandshakeV1, SourceIdempotencyV1, SourceRateLimitV1, SourceVerificationV1 } from '@hookline/contracts';
import { DEFAULT_SOURCE_TOLERANCE_SECONDS, MAX_SOURCE_RATE_LIMIT_PER_SECOND, MAX_SOURCE_TOLERANCE_SECONDS } from '@hookline/domain';
import { FieldProblem } from '@hookline/service-kit';
import { parseSecret } from '@hookline/signing';

/**
 * An HTTP source's `verification` as a caller sends it: secrets in the clear, once (they are sealed at once and never
 * shown again), and presets: `github` (x-hub-signature-256, sha256, hex, `sha256=`) and `shopify` (x-shopify-hmac-sha256,
 * sha256, base64, no prefix) expand to `hmac`; `slack` (x-slack-signature, x-slack-request-timestamp) and `zoom`
 * (x-zm-signature, x-zm-request-timestamp) to `v0_hmac`.
 */
export type SourceVerificationInput =
  | { type: 'standard_webhooks'; secret: string; tolerance_seconds?: number }
  | { type: 'hmac'; header: string; algorithm: 'sha1' | 'sha256' | 'sha512'; encoding: 'hex' | 'base64'; prefix?: string; secret: string }
  | { type: 'github' | 'shopify'; secret: string }
  | { type: 'stripe'; secret: string; tolerance_seconds?: number }
  | { type: 'basic_auth'; username: string; password: string }
  | { type: 'api_key'; header: string; key: string }
  | { type: 'none' }
  | { type: 'v0_hmac'; header: string; timestamp_header: string; secret: string; tolerance_seconds?: number }
  | { type: 'slack' | 'zoom'; secret: string; tolerance_seconds?: number }
  | { type: 'graph_client_state'; client_state: string };

/** An HTTP source's `handshake` as a caller sends it: Meta's verify token in the clear, once (sealed at once). */
export type SourceHandshakeInput = { type: 'slack' | 'zoom' | 'microsoft_graph' } | { type: 'meta'; verify_token: string };

/** An HTTP source's `rate_limit` as a caller sends it: `burst` left out is `per_second`. */
export type SourceRateLimitInput = { per_second: number; burst?: number };

/** What each preset of `v0_hmac` names: the signature's header and the signed timestamp's. */
const V0_PRESETS = {
  slack: { header: 'x-slack-signature', timestamp_header: 'x-slack-request-timestamp' },
  zoom: { header: 'x-zm-signature', timestamp_header: 'x-zm-request-timestamp' },
} as const;

const SECRET = { type: 'string', minLength: 1, maxLength: 1024, writeOnly: true };
const TOLERANCE = { type: 'integer', minimum: 1, maximum: MAX_SOURCE_TOLERANCE_SECONDS, default: DEFAULT_SOURCE_TOLERANCE_SECONDS };
const HEADER = { type: 'string', minLength: 1, maxLength: 64 };
const PATH = { type: 'string', minLength: 1, maxLength: 512 };
const branch = (type: string, properties: Record<string, object>, required: string[]) => ({
  type: 'object', title: type, properties: { type: { const: type }, ...properties }, required: ['type', ...required], additionalProperties: false,
});

/** JSON Schema of `verification` (also its OpenAPI description). */
export const SOURCE_VERIFICATION_SCHEMA = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    branch('standard_webhooks', { secret: { ...SECRET, pattern: '^whsec_' }, tolerance_seconds: TOLERANCE }, ['secret']),
    branch('hmac', {
      header: HEADER, algorithm: { enum: ['sha1', 'sha256', 'sha512'] }, encoding: { enum: ['hex', 'base64'] }, prefix: { type: 'string', maxLength: 32 }, secret: SECRET,
    }, ['header', 'algorithm', 'encoding', 'secret']),
    branch('github', { secret: SECRET }, ['secret']),
    branch('shopify', { secret: SECRET }, ['secret']),
    branch('stripe', { secret: SECRET, tolerance_seconds: TOLERANCE }, ['secret']),
    branch('basic_auth', { username: { type: 'string', minLength: 1, maxLength: 256 }, password: SECRET }, ['username', 'password']),
    branch('api_key', { header: HEADER, key: SECRET }, ['header', 'key']),
    branch('none', {}, []),
    branch('v0_hmac', { header: HEADER, timestamp_header: HEADER, secret: SECRET, tolerance_seconds: TOLERANCE }, ['header', 'timestamp_header', 'secret']),
    branch('slack', { secret: SECRET, tolerance_seconds: TOLERANCE }, ['secret']),
    branch('zoom', { secret: SECRET, tolerance_seconds: TOLERANCE }, ['secret']),
    // Graph takes at most 128 characters as a subscription's clientState.
    branch('graph_client_state', { client_state: { ...SECRET, maxLength: 128 } }, ['client_state']),
  ],
};

/** JSON Schema of `handshake`: the URL check a provider makes before it sends anything, answered by /ingest itself. */
export const SOURCE_HANDSHAKE_SCHEMA = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    branch('slack', {}, []),
    branch('zoom', {}, []),
    branch('meta', { verify_token: SECRET }, ['verify_token']),
    branch('microsoft_graph', {}, []),
  ],
};

const fromBranch = (from: string, properties: Record<string, object>) => ({
  type: 'object', title: from, properties: { from: { const: from }, ...properties }, required: ['from', ...Object.keys(properties)], additionalProperties: false,
});

/** JSON Schema of `event_type`: where each webhook's event type is. */
export const SOURCE_EVENT_TYPE_SCHEMA = {
  type: 'object',
  required: ['from'],
  discriminator: { propertyName: 'from' },
  oneOf: [fromBranch('header', { header: HEADER }), fromBranch('field', { path: PATH }), fromBranch('fixed', { event_type: { type: 'string', minLength: 1, maxLength: 128 } })],
};

/** JSON Schema of `idempotency`: what makes a provider's retry the same message. */
export const SOURCE_IDEMPOTENCY_SCHEMA = {
  type: 'object',
  required: ['from'],
  discriminator: { propertyName: 'from' },
  oneOf: [fromBranch('header', { header: HEADER }), fromBranch('field', { path: PATH })],
};

// Whole requests, within the bounds of an endpoint's and an API key's rate_limit_per_second.
const REQUESTS = { type: 'integer', minimum: 1, maximum: MAX_SOURCE_RATE_LIMIT_PER_SECOND };

/** JSON Schema of `rate_limit`: a token bucket of the source's verified requests. */
export const SOURCE_RATE_LIMIT_SCHEMA = {
  type: 'object',
  required: ['per_second'],
  properties: {
    per_second: { ...REQUESTS, description: 'requests per second the bucket refills at' },
    burst: { ...REQUESTS, description: 'the most requests taken at once after a quiet spell; left out: per_second' },
  },
  additionalProperties: false,
};

const ajv = new Ajv({ allErrors: true, discriminator: true, strict: false });
const checks = {
  verification: ajv.compile(SOURCE_VERIFICATION_SCHEMA),
  event_type: ajv.compile(SOURCE_EVENT_TYPE_SCHEMA),
  idempotency: ajv.compile(SOURCE_IDEMPOTENCY_SCHEMA),
  handshake: ajv.compile(SOURCE_HANDSHAKE_SCHEMA),
  rate_limit: ajv.compile(SOURCE_RATE_LIMIT_SCHEMA),
};
// Settings whose null means something (none): not checked by their schema then.
const NULLABLE = new Set(['idempotency', 'handshake', 'rate_limit']);

/**
 * What is wrong with the nested settings of a source request (each at its JSON pointer); undefined ones are not
 * checked (an update leaves them as they are), and `idempotency`, `handshake` and `rate_limit` may be null. The rules
 * on the settings as a whole (header names, dot paths, channels, name, which handshake goes with which verification)
 * are the decider's.
 */
export function sourceInputProblems(input: Partial<Record<keyof typeof checks, unknown>>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of Object.keys(checks) as Array<keyof typeof checks>) {
    const value = input[field];
    if (value === undefined || (NULLABLE.has(field) && value === null)) continue;
    if (!checks[field](value)) problems.push(...(checks[field].errors ?? []).map((e) => fieldProblem(`/${field}`, e)));
  }
  const verification = input.verification as { type?: unknown; secret?: unknown } | undefined;
  if (verification?.type === 'standard_webhooks' && typeof verification.secret === 'string' && verification.secret.startsWith('whsec_')) {
    try {
      parseSecret(verification.secret);
    } catch (err) {
      problems.push({ pointer: '/verification/secret', detail: (err as Error).message });
    }
  }
  return problems;
}

function fieldProblem(base: string, e: ErrorObject): FieldProblem {
  const at = `${base}${e.instancePath}`;
  if (e.keyword === 'additionalProperties') return { pointer: `${at}/${e.params.additionalProperty}`, detail: `is not a field of ${base.slice(1)}` };
  if (e.keyword === 'required') return { pointer: `${at}/${e.params.missingProperty}`, detail: 'is required' };
  if (e.keyword === 'discriminator') return { pointer: `${at}/${e.params.tag}`, detail: `must be one of the ${base.slice(1)} kinds (${e.message})` };
  if (e.keyword === 'pattern' && at.endsWith('/secret')) return { pointer: at, detail: 'a Standard Webhooks secret is a whsec_ secret' };
  return { pointer: at, detail: e.message ?? 'is not valid' };
}

/** The verification to keep: presets expanded, header names in lower case, default tolerance, secrets sealed. */
export function sealedVerification(input: SourceVerificationInput, seal: (plaintext: string) => string): SourceVerificationV1 {
  switch (input.type) {
    case 'standard_webhooks':
    case 'stripe':
      return { type: input.type, secret_sealed: seal(input.secret), tolerance_seconds: input.tolerance_seconds ?? DEFAULT_SOURCE_TOLERANCE_SECONDS };
    case 'github':
      return { type: 'hmac', header: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', secret_sealed: seal(input.secret) };
    case 'shopify':
      return { type: 'hmac', header: 'x-shopify-hmac-sha256', algorithm: 'sha256', encoding: 'base64', prefix: '', secret_sealed: seal(input.secret) };
    case 'hmac':
      return {
        type: 'hmac', header: input.header.toLowerCase(), algorithm: input.algorithm, encoding: input.encoding, prefix: input.prefix ?? '', secret_sealed: seal(input.secret),
      };
    case 'basic_auth':
      return { type: 'basic_auth', username: input.username, password_sealed: seal(input.password) };
    case 'api_key':
      return { type: 'api_key', header: input.header.toLowerCase(), key_sealed: seal(input.key) };
    case 'none':
      return { type: 'none' };
    case 'v0_hmac':
      return {
        type: 'v0_hmac', header: input.header.toLowerCase(), timestamp_header: input.timestamp_header.toLowerCase(), secret_sealed: seal(input.secret),
        tolerance_seconds: input.tolerance_seconds ?? DEFAULT_SOURCE_TOLERANCE_SECONDS,
      };
    case 'slack':
    case 'zoom':
      return { type: 'v0_hmac', ...V0_PRESETS[input.type], secret_sealed: seal(input.secret), tolerance_seconds: input.tolerance_seconds ?? DEFAULT_SOURCE_TOLERANCE_SECONDS };
    case 'graph_client_state':
      return { type: 'graph_client_state', secret_sealed: seal(input.client_state) };
  }
}

/** The handshake to keep: Meta's verify token sealed; null stays null (no handshake). */
export function sealedHandshake(input: SourceHandshakeInput | null, seal: (plaintext: string) => string): SourceHandshakeV1 | null {
  if (input === null) return null;
  return input.type === 'meta' ? { type: 'meta', verify_token_sealed: seal(input.verify_token) } : { type: input.type };
}

/** The rate limit to keep: the burst written out (readers need not know its default); null stays null (no limit). */
export function sourceRateLimit(input: SourceRateLimitInput | null): SourceRateLimitV1 | null {
  return input === null ? null : { per_second: input.per_second, burst: input.burst ?? input.per_second };
}

/** A verification or a handshake as answers show it: everything but its secret. */
export function withoutSealed(v: SourceVerificationV1 | SourceHandshakeV1): Record<string, unknown> {
  return Object.fromEntries(Object.entries(v).filter(([name]) => !name.endsWith('_sealed')));
}

/** Header names kept in lower case (they are matched case-insensitively). */
export function normalizedEventType(input: SourceEventTypeV1): SourceEventTypeV1 {
  return input.from === 'header' ? { from: 'header', header: input.header.toLowerCase() } : input;
}

/** The same for idempotency; null stays null (every request is a new message). */
export function normalizedIdempotency(input: SourceIdempotencyV1): SourceIdempotencyV1 {
  return input?.from === 'header' ? { from: 'header', header: input.header.toLowerCase() } : input;
}
