import { EndpointAuthV1 } from '@hookline/contracts';
import { checkEndpointUrl, isKafkaUrl } from '@hookline/net-guard';
import { FieldProblem } from '@hookline/service-kit';
import type { UrlPolicy } from './endpoint-checks';

/** OAuth 2.0 client-credentials auth as a caller sends it: the client secret in the clear, once. */
export interface EndpointAuthInput {
  type: 'oauth2_client_credentials';
  token_url: string;
  client_id: string;
  client_secret: string;
  scope?: string | null;
  audience?: string | null;
  client_auth?: 'basic' | 'body';
}

const FIELDS = new Set(['type', 'token_url', 'client_id', 'client_secret', 'scope', 'audience', 'client_auth']);
// Printable ASCII without controls: these values travel in a form body or an HTTP Basic header.
const PRINTABLE = /^[\x20-\x7e]+$/;

function text(problems: FieldProblem[], value: unknown, pointer: string, max: number, required: boolean): void {
  if (value === undefined || value === null) {
    if (required) problems.push({ pointer, detail: 'is required' });
    return;
  }
  if (typeof value !== 'string' || value.length === 0 || value.length > max || !PRINTABLE.test(value)) {
    problems.push({ pointer, detail: `must be a string of 1 to ${max} printable ASCII characters` });
  }
}

/**
 * Everything wrong with an endpoint's `auth` (each problem with its JSON pointer). Unknown fields are refused, so a
 * misspelt `clientSecret` is an error instead of an endpoint that silently sends no token. The token URL must pass
 * the same checks as an endpoint URL: the dispatcher will POST the client secret to it.
 */
export function endpointAuthProblems(auth: unknown, urlPolicy: UrlPolicy): FieldProblem[] {
  if (auth === undefined || auth === null) return [];
  if (typeof auth !== 'object' || Array.isArray(auth)) return [{ pointer: '/auth', detail: 'must be an object or null' }];
  const a = auth as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(a)) if (!FIELDS.has(key)) problems.push({ pointer: `/auth/${key}`, detail: 'is not a field of auth' });
  if (a.type !== 'oauth2_client_credentials') problems.push({ pointer: '/auth/type', detail: 'must be "oauth2_client_credentials"' });
  if (typeof a.token_url !== 'string') problems.push({ pointer: '/auth/token_url', detail: 'is required' });
  else {
    const url = checkEndpointUrl(a.token_url, urlPolicy);
    if (!url.ok) problems.push(...url.errors.map((detail) => ({ pointer: '/auth/token_url', detail: detail.replace(/^endpoint URL/, 'token URL') })));
  }
  text(problems, a.client_id, '/auth/client_id', 256, true);
  text(problems, a.client_secret, '/auth/client_secret', 1024, true);
  text(problems, a.scope, '/auth/scope', 1000, false);
  text(problems, a.audience, '/auth/audience', 1000, false);
  if (a.client_auth !== undefined && a.client_auth !== 'basic' && a.client_auth !== 'body') {
    problems.push({ pointer: '/auth/client_auth', detail: 'must be "basic" or "body"' });
  }
  return problems;
}

/**
 * A custom `Authorization` header next to auth would be replaced by the token on every attempt: refused, so the
 * endpoint's settings say what is really sent. Checked on the settings as they will be after the change.
 */
export function authHeaderProblems(headers: Record<string, string> | undefined, hasAuth: boolean): FieldProblem[] {
  if (!hasAuth) return [];
  return Object.keys(headers ?? {})
    .filter((name) => name.toLowerCase() === 'authorization')
    .map((name) => ({ pointer: `/headers/${name}`, detail: 'the endpoint has auth, whose token is sent as Authorization; remove this header or the auth' }));
}

/**
 * OAuth 2.0 auth puts a bearer token on an HTTP request; an endpoint whose URL is a Kafka topic gets records, not
 * requests, so auth next to one is refused rather than silently never sent. Checked on the settings as they will be.
 */
export function authUrlProblems(url: string, hasAuth: boolean): FieldProblem[] {
  if (!hasAuth || !isKafkaUrl(url)) return [];
  return [{ pointer: '/auth', detail: 'OAuth 2.0 auth needs an https endpoint URL; a Kafka destination gets records, not HTTP requests: remove the auth (the brokers can authenticate Hookline by its client_certificate)' }];
}

/** Valid input (see endpointAuthProblems) → auth as it travels in events: URL normalised, client secret sealed. */
export function sealedEndpointAuth(input: EndpointAuthInput, urlPolicy: UrlPolicy, seal: (plaintext: string) => string): EndpointAuthV1 {
  const url = checkEndpointUrl(input.token_url, urlPolicy);
  if (!url.ok) throw new Error('sealedEndpointAuth needs auth that passed endpointAuthProblems');
  return {
    type: 'oauth2_client_credentials',
    token_url: url.url,
    client_id: input.client_id,
    client_secret_sealed: seal(input.client_secret),
    scope: input.scope ?? null,
    audience: input.audience ?? null,
    client_auth: input.client_auth ?? 'basic',
  };
}
