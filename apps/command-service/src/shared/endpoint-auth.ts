import { EndpointAuthV1, OAuth2ClientCredentialsV1 } from '@hookline/contracts';
import { checkEndpointUrl, isAmqpUrl, isKafkaUrl } from '@hookline/net-guard';
import { FieldProblem } from '@hookline/service-kit';
import { AmqpPlainInput, amqpPlainProblems, amqpPlainUrlProblems, sealedAmqpPlain } from './endpoint-amqp-plain';
import type { UrlPolicy } from './endpoint-checks';
import { KafkaSaslInput, kafkaSaslProblems, kafkaSaslUrlProblems, sealedKafkaSasl } from './endpoint-kafka-sasl';

/** OAuth 2.0 client-credentials auth as a caller sends it: the client secret in the clear, once. */
export interface OAuth2ClientCredentialsInput {
  type: 'oauth2_client_credentials';
  token_url: string;
  client_id: string;
  client_secret: string;
  scope?: string | null;
  audience?: string | null;
  client_auth?: 'basic' | 'body';
}

/**
 * An endpoint's `auth` as a caller sends it: OAuth 2.0 for an https endpoint, SASL for a Kafka destination, a PLAIN
 * login for an AMQP destination.
 */
export type EndpointAuthInput = OAuth2ClientCredentialsInput | KafkaSaslInput | AmqpPlainInput;

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
 * Everything wrong with an endpoint's `auth` (each problem with its JSON pointer): OAuth 2.0 client credentials, or
 * `kafka_sasl` (see kafkaSaslProblems), or `amqp_plain` (see amqpPlainProblems). Unknown fields are refused, so a misspelt `clientSecret` is an error instead of
 * an endpoint that silently sends no token. The token URL must pass the same checks as an endpoint URL: the dispatcher
 * will POST the client secret to it.
 */
export function endpointAuthProblems(auth: unknown, urlPolicy: UrlPolicy): FieldProblem[] {
  if (auth === undefined || auth === null) return [];
  if (typeof auth !== 'object' || Array.isArray(auth)) return [{ pointer: '/auth', detail: 'must be an object or null' }];
  const a = auth as Record<string, unknown>;
  if (a.type === 'kafka_sasl') return kafkaSaslProblems(a);
  if (a.type === 'amqp_plain') return amqpPlainProblems(a);
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(a)) if (!FIELDS.has(key)) problems.push({ pointer: `/auth/${key}`, detail: 'is not a field of auth' });
  if (a.type !== 'oauth2_client_credentials') problems.push({ pointer: '/auth/type', detail: 'must be "oauth2_client_credentials", "kafka_sasl" or "amqp_plain"' });
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

/** Whether an endpoint's auth (as sent, or as stored) puts an OAuth 2.0 bearer token on its requests. */
export function isOAuth2(auth: { type?: unknown } | null | undefined): boolean {
  return auth?.type === 'oauth2_client_credentials';
}

/**
 * A custom `Authorization` header next to OAuth 2.0 auth would be replaced by the token on every attempt: refused, so
 * the endpoint's settings say what is really sent. Checked on the settings as they will be after the change. (SASL
 * puts nothing in the record's headers.)
 */
export function authHeaderProblems(headers: Record<string, string> | undefined, hasOAuth2: boolean): FieldProblem[] {
  if (!hasOAuth2) return [];
  return Object.keys(headers ?? {})
    .filter((name) => name.toLowerCase() === 'authorization')
    .map((name) => ({ pointer: `/headers/${name}`, detail: 'the endpoint has auth, whose token is sent as Authorization; remove this header or the auth' }));
}

/**
 * Each kind of auth belongs to one kind of URL. OAuth 2.0 puts a bearer token on an HTTP request; an endpoint whose URL
 * is a Kafka topic gets records, not requests, so OAuth next to one is refused rather than silently never sent. SASL
 * authenticates to Kafka brokers: refused next to an https URL, and over plaintext `kafka://` unless plaintext is
 * allowed (see kafkaSaslUrlProblems); a PLAIN login authenticates to an AMQP broker, and only there (see
 * amqpPlainUrlProblems). An AMQP destination gets messages, not requests, so OAuth next to one is refused like next to
 * a Kafka topic. Checked on the settings as they will be (the URL normalised).
 */
export function authUrlProblems(url: string, auth: { type?: unknown } | null | undefined, urlPolicy: Pick<UrlPolicy, 'allowHttp'>): FieldProblem[] {
  if (!auth) return [];
  if (auth.type === 'kafka_sasl') return kafkaSaslUrlProblems(url, urlPolicy.allowHttp);
  if (auth.type === 'amqp_plain') return amqpPlainUrlProblems(url, urlPolicy.allowHttp);
  if (isAmqpUrl(url)) {
    return [{ pointer: '/auth', detail: 'OAuth 2.0 auth needs an https endpoint URL; an AMQP destination gets messages, not HTTP requests: use amqp_plain auth, or remove the auth (the broker can also authenticate Hookline by its client_certificate)' }];
  }
  if (!isKafkaUrl(url)) return [];
  return [{ pointer: '/auth', detail: 'OAuth 2.0 auth needs an https endpoint URL; a Kafka destination gets records, not HTTP requests: use kafka_sasl auth, or remove the auth (the brokers can also authenticate Hookline by its client_certificate)' }];
}

/** Valid input (see endpointAuthProblems) → auth as it travels in events: URL normalised, client secret or password sealed. */
export function sealedEndpointAuth(input: EndpointAuthInput, urlPolicy: UrlPolicy, seal: (plaintext: string) => string): EndpointAuthV1 {
  switch (input.type) {
    case 'oauth2_client_credentials':
      return sealedOAuth2(input, urlPolicy, seal);
    case 'kafka_sasl':
      return sealedKafkaSasl(input, seal);
    case 'amqp_plain':
      return sealedAmqpPlain(input, seal);
    default: {
      const never: never = input;
      throw new Error(`sealedEndpointAuth needs auth that passed endpointAuthProblems, got ${JSON.stringify(never)}`);
    }
  }
}

function sealedOAuth2(input: OAuth2ClientCredentialsInput, urlPolicy: UrlPolicy, seal: (plaintext: string) => string): OAuth2ClientCredentialsV1 {
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
