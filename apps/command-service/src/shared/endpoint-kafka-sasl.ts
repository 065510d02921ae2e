import { KAFKA_SASL_MECHANISMS, KafkaSaslMechanism, KafkaSaslV1 } from '@hookline/contracts';
import { isKafkaUrl, isPlaintextKafkaUrl } from '@hookline/net-guard';
import { FieldProblem } from '@hookline/service-kit';

/** SASL credentials for a Kafka destination's brokers as a caller sends them: the password in the clear, once. */
export interface KafkaSaslInput {
  type: 'kafka_sasl';
  mechanism: KafkaSaslMechanism;
  username: string;
  password: string;
}

const FIELDS = new Set(['type', 'mechanism', 'username', 'password']);
// Managed clusters' API keys and secrets are far shorter; the bounds only keep a request from carrying a document.
const MAX_USERNAME_CHARS = 256;
const MAX_PASSWORD_CHARS = 1024;
// SASL PLAIN (Kafka's and AMQP's) separates its fields with NUL (RFC 4616), and no mechanism has a use for other control characters.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A user name or password of a broker login (Kafka SASL, AMQP PLAIN): present, bounded, without control characters. */
export function credentialProblems(problems: FieldProblem[], value: unknown, pointer: string, max: number): void {
  if (value === undefined || value === null) problems.push({ pointer, detail: 'is required' });
  else if (typeof value !== 'string' || value.length === 0 || value.length > max || CONTROL.test(value)) {
    problems.push({ pointer, detail: `must be a string of 1 to ${max} characters without control characters` });
  }
}

/**
 * Everything wrong with `kafka_sasl` auth in itself (each problem with its JSON pointer): a known mechanism, a user name
 * and a password. Unknown fields are refused, so a misspelt `pasword` is an error instead of a producer that never
 * authenticates. Whether the endpoint's URL can use it is kafkaSaslUrlProblems'.
 */
export function kafkaSaslProblems(auth: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(auth)) if (!FIELDS.has(key)) problems.push({ pointer: `/auth/${key}`, detail: 'is not a field of kafka_sasl auth' });
  if (!(KAFKA_SASL_MECHANISMS as readonly unknown[]).includes(auth.mechanism)) {
    problems.push({ pointer: '/auth/mechanism', detail: `must be one of ${KAFKA_SASL_MECHANISMS.map((m) => `"${m}"`).join(', ')}` });
  }
  credentialProblems(problems, auth.username, '/auth/username', MAX_USERNAME_CHARS);
  credentialProblems(problems, auth.password, '/auth/password', MAX_PASSWORD_CHARS);
  return problems;
}

/**
 * SASL authenticates a producer to Kafka brokers: refused next to an https URL. Over plaintext `kafka://` PLAIN sends the
 * password readable and everything after the handshake is readable too, so SASL there is taken only where plaintext
 * endpoints are allowed at all (ALLOW_HTTP_ENDPOINTS, local development), also when the URL itself is unchanged.
 * Checked on the settings as they will be.
 */
export function kafkaSaslUrlProblems(url: string, allowPlaintext: boolean): FieldProblem[] {
  if (!isKafkaUrl(url)) {
    return [{ pointer: '/auth', detail: 'kafka_sasl auth needs a Kafka endpoint URL (kafka+tls://host:port/topic); an https endpoint can use oauth2_client_credentials' }];
  }
  if (isPlaintextKafkaUrl(url) && !allowPlaintext) {
    return [{ pointer: '/auth', detail: 'kafka_sasl auth over plaintext kafka:// would send the credentials readable: use kafka+tls:// (plaintext only with ALLOW_HTTP_ENDPOINTS=true, for local development)' }];
  }
  return [];
}

/** Valid input (see kafkaSaslProblems) → SASL auth as it travels in events: the password sealed. */
export function sealedKafkaSasl(input: KafkaSaslInput, seal: (plaintext: string) => string): KafkaSaslV1 {
  return { type: 'kafka_sasl', mechanism: input.mechanism, username: input.username, password_sealed: seal(input.password) };
}
