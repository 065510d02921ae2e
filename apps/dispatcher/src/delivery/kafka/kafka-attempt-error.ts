import { AttemptErrorClass } from '@hookline/contracts';
import { connectionErrorClass } from '@hookline/net-guard';
import { ClientLimitError } from '../broker/client-pool';
import { ErrorCause, causesOf, text } from '../broker/error-causes';

/** Why an attempt at a Kafka destination failed, in the attempt log's vocabulary. */
export interface KafkaAttemptError {
  class: AttemptErrorClass;
  message: string;
}

/** The attempt's deadline passed before the cluster acknowledged the record (it may still be written). */
export class KafkaDeadlineError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no acknowledgement within ${timeoutMs} ms`);
    this.name = 'KafkaDeadlineError';
  }
}

/** The endpoint's SASL password cannot be opened (sealed under a key no longer configured): nothing was sent. */
export class KafkaSaslUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KafkaSaslUnavailableError';
  }
}

/** This dispatcher holds as many Kafka producers as it may, every one busy: the attempt is retried later. */
export class KafkaProducerLimitError extends ClientLimitError {
  constructor(limit: number) {
    super(limit, `the dispatcher already holds ${limit} Kafka producers, all in use (KAFKA_DESTINATION_MAX_PRODUCERS)`);
    this.name = 'KafkaProducerLimitError';
  }
}

/**
 * Maps what producing a record threw to an error class, reading through kafkajs' wrappers (retries exhausted, not
 * retriable) to the failure underneath, whose socket error code kafkajs keeps: `ssrf_refused` (the address policy
 * refused a broker, bootstrap or advertised; nothing connected), `dns`, `connect` (refused, unreachable, or no
 * connection within the connect timeout), `tls`, `broker_refused` (the cluster answered with a Kafka error: unknown
 * topic, not authorised, record too large…; or SASL authentication refused: wrong credentials, a mechanism the
 * brokers do not enable), `timeout` (no acknowledgement within the attempt's deadline: the record
 * may still have been written, as an https receiver may have processed a request that timed out), `connect` too when
 * this dispatcher's producer limit left no room, else `network`.
 * `where` names the destination without its topic-independent details, e.g. `Kafka topic orders on 10.0.0.1:9092`.
 */
export function classifyKafkaError(error: unknown, where: string): KafkaAttemptError {
  const causes = causesOf(error);
  const deadline = causes.find((c) => c instanceof KafkaDeadlineError) as KafkaDeadlineError | undefined;
  if (deadline) return { class: 'timeout', message: `${where}: ${deadline.message}` };
  // Like a connect timeout: nothing reached the cluster, and a later attempt finds room.
  const limit = causes.find((c) => c instanceof KafkaProducerLimitError) as KafkaProducerLimitError | undefined;
  if (limit) return { class: 'connect', message: `${where}: ${limit.message}` };
  for (const cause of causes) {
    const errorClass = typeof cause.code === 'string' ? connectionErrorClass(cause.code) : undefined;
    if (errorClass) return { class: errorClass, message: `${describe(errorClass, cause)} (${where})` };
  }
  // The broker refused the SASL handshake or the credentials: like TOPIC_AUTHORIZATION_FAILED, the cluster answered
  // and said no, so broker_refused (auth_token is an OAuth 2.0 token endpoint's failure; a Kafka destination has none).
  const sasl = causes.find((c) => c.name === 'KafkaJSSASLAuthenticationError');
  if (sasl) return { class: 'broker_refused', message: `${where}: ${describeSaslFailure(text(sasl.message))}` };
  const refusal = causes.find((c) => typeof c.type === 'string');
  if (refusal) return { class: 'broker_refused', message: `${where}: the cluster refused the record: ${refusal.type} (${text(refusal.message)})` };
  const last = causes[causes.length - 1] ?? {};
  if (last.name === 'KafkaJSRequestTimeoutError') return { class: 'timeout', message: `${where}: ${text(last.message)}` };
  if (last.name === 'KafkaJSConnectionError' && last.message === 'Connection timeout') {
    return { class: 'connect', message: `could not connect to Kafka broker ${text(last.broker)}: no connection within the connect timeout (${where})` };
  }
  return { class: 'network', message: `${where}: ${text(last.message) || String(error)}` };
}

function describe(errorClass: AttemptErrorClass, cause: ErrorCause): string {
  // kafkajs prefixes the socket's own message; the guard's and the resolver's say everything without it.
  const detail = text(cause.message).replace(/^Connection error: /, '');
  switch (errorClass) {
    case 'connect':
      return `could not connect to Kafka broker ${text(cause.broker)}: ${detail}`;
    case 'tls':
      return `TLS with Kafka broker ${text(cause.broker)} failed: ${detail}`;
    default:
      return detail;
  }
}

/**
 * `SASL authentication failed (PLAIN): Authentication failed: Invalid username or password` from kafkajs' `SASL PLAIN
 * authentication failed: …` (or `SASL SCRAM SHA256 authentication failed: …`): one wording for every mechanism, which
 * stays named. Other refusals (a mechanism the brokers do not enable) are kept whole after the common start.
 */
function describeSaslFailure(message: string): string {
  const match = /^SASL (.+?) authentication(?: failed)?: (.*)$/s.exec(message);
  return match ? `SASL authentication failed (${match[1]}): ${match[2]}` : `SASL authentication failed: ${message}`;
}

/** Whether a broker answered with a Kafka error (a protocol error code) somewhere under the error. */
export function answeredByBroker(error: unknown): boolean {
  return causesOf(error).some((c) => typeof c.type === 'string');
}
