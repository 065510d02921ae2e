import { AmqpPlainV1 } from '@hookline/contracts';
import { isAmqpUrl, isPlaintextAmqpUrl } from '@hookline/net-guard';
import { FieldProblem } from '@hookline/service-kit';
import { credentialProblems } from './endpoint-kafka-sasl';

/** The login to an AMQP destination's broker as a caller sends it: the password in the clear, once. */
export interface AmqpPlainInput {
  type: 'amqp_plain';
  username: string;
  password: string;
}

const FIELDS = new Set(['type', 'username', 'password']);
// AMQP carries the PLAIN response as a long string, but RabbitMQ's user names and passwords are far shorter; the bounds
// only keep a request from carrying a document.
const MAX_USERNAME_CHARS = 256;
const MAX_PASSWORD_CHARS = 1024;

/**
 * Everything wrong with `amqp_plain` auth in itself (each problem with its JSON pointer): a user name and a password.
 * Unknown fields are refused, so a misspelt `pasword` is an error instead of a connection that is never let in.
 * Whether the endpoint's URL can use it is amqpPlainUrlProblems'.
 */
export function amqpPlainProblems(auth: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(auth)) if (!FIELDS.has(key)) problems.push({ pointer: `/auth/${key}`, detail: 'is not a field of amqp_plain auth' });
  credentialProblems(problems, auth.username, '/auth/username', MAX_USERNAME_CHARS);
  credentialProblems(problems, auth.password, '/auth/password', MAX_PASSWORD_CHARS);
  return problems;
}

/**
 * A PLAIN login authenticates to an AMQP broker: refused next to any other URL. Over plaintext `amqp://` the password
 * crosses the network readable, so it is taken there only where plaintext endpoints are allowed at all
 * (ALLOW_HTTP_ENDPOINTS, local development), also when the URL itself is unchanged. Checked on the settings as they
 * will be.
 */
export function amqpPlainUrlProblems(url: string, allowPlaintext: boolean): FieldProblem[] {
  if (!isAmqpUrl(url)) {
    return [{ pointer: '/auth', detail: 'amqp_plain auth needs an AMQP endpoint URL (amqps://host/vhost?exchange=name)' }];
  }
  if (isPlaintextAmqpUrl(url) && !allowPlaintext) {
    return [{ pointer: '/auth', detail: 'amqp_plain auth over plaintext amqp:// would send the password readable: use amqps:// (plaintext only with ALLOW_HTTP_ENDPOINTS=true, for local development)' }];
  }
  return [];
}

/** Valid input (see amqpPlainProblems) → the login as it travels in events: the password sealed. */
export function sealedAmqpPlain(input: AmqpPlainInput, seal: (plaintext: string) => string): AmqpPlainV1 {
  return { type: 'amqp_plain', username: input.username, password_sealed: seal(input.password) };
}
