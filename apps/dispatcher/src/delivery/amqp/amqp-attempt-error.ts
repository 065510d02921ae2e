import { AttemptErrorClass } from '@hookline/contracts';
import { connectionErrorClass } from '@hookline/net-guard';
import { ClientLimitError } from '../broker/client-pool';
import { causesOf, text } from '../broker/error-causes';

/** Why an attempt at an AMQP destination failed, in the attempt log's vocabulary. */
export interface AmqpAttemptError {
  class: AttemptErrorClass;
  message: string;
}

/** The attempt's deadline passed before the broker confirmed the message (connecting included; it may still be routed). */
export class AmqpDeadlineError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no publisher confirm within ${timeoutMs} ms`);
    this.name = 'AmqpDeadlineError';
  }
}

/** The broker returned the mandatory message (basic.return): no queue is bound for its routing key, nobody got it. */
export class AmqpUnroutableError extends Error {
  constructor(
    readonly exchange: string,
    readonly routingKey: string,
    readonly replyText: string,
  ) {
    super(`the broker routed the message to no queue (${replyText}): bind a queue to exchange ${exchange} for routing key ${routingKey}`);
    this.name = 'AmqpUnroutableError';
  }
}

/** The broker answered the publish with a negative confirm (basic.nack): it did not take the message. */
export class AmqpNackError extends Error {
  constructor() {
    super('the broker did not take the message (negative publisher confirm, basic.nack)');
    this.name = 'AmqpNackError';
  }
}

/** The endpoint's AMQP password cannot be opened (sealed under a key no longer configured): nothing was sent. */
export class AmqpPasswordUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AmqpPasswordUnavailableError';
  }
}

/** This dispatcher holds as many AMQP connections as it may, every one busy: the attempt is retried later. */
export class AmqpConnectionLimitError extends ClientLimitError {
  constructor(limit: number) {
    super(limit, `the dispatcher already holds ${limit} AMQP connections, all in use (AMQP_DESTINATION_MAX_CONNECTIONS)`);
    this.name = 'AmqpConnectionLimitError';
  }
}


// What amqplib rejects the connection with when the broker closes it during the handshake: the AMQP reply code and text.
const HANDSHAKE_REFUSED = /^Handshake terminated by server: (\d+) \(([A-Z-]+)\) with message "(.*)"$/s;
// What amqplib rejects it with when connection.open (the virtual host) is answered by connection.close: the broker
// gives no reason amqplib keeps, and a missing vhost and one the user may not use look alike.
const OPEN_REFUSED = /^Expected ConnectionOpenOk; got <ConnectionClose/;
// amqplib's own channel-closing errors: `Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - no exchange…"`.
const CHANNEL_CLOSED = /^(?:Channel|Connection) closed by server: (\d+) \(([A-Z-]+)\) with message "(.*)"$/s;

/**
 * Maps what publishing threw to an error class: `timeout` (no confirm within the attempt's deadline: the message may
 * still have been routed), `unroutable` (returned: no queue bound), `ssrf_refused`, `dns`, `connect` (refused,
 * unreachable, no connection within the connect timeout), `tls` (by the socket's code, as for https and Kafka),
 * `broker_refused` (the broker answered no: a login refused, a virtual host it will not open, a missing exchange
 * (404), access refused (403), a negative confirm), `connect` too when this dispatcher's connection limit left no
 * room, else `network`. `where`
 * names the destination, e.g. `AMQP exchange orders (vhost /) at 10.0.0.1:5671`.
 */
export function classifyAmqpError(error: unknown, where: string): AmqpAttemptError {
  const causes = causesOf(error);
  if (causes.some((c) => c instanceof AmqpDeadlineError)) return { class: 'timeout', message: `${where}: ${text(causes[0].message)}` };
  const unroutable = causes.find((c) => c instanceof AmqpUnroutableError);
  if (unroutable) return { class: 'unroutable', message: `${where}: ${text(unroutable.message)}` };
  if (causes.some((c) => c instanceof AmqpNackError)) return { class: 'broker_refused', message: `${where}: ${text(causes[0].message)}` };
  // Like a connect timeout: nothing reached the broker, and a later attempt finds room.
  if (causes.some((c) => c instanceof AmqpConnectionLimitError)) return { class: 'connect', message: `${where}: ${text(causes[0].message)}` };
  for (const cause of causes) {
    const errorClass = typeof cause.code === 'string' ? connectionErrorClass(cause.code) : undefined;
    if (errorClass) return { class: errorClass, message: `${describe(errorClass, text(cause.message))} (${where})` };
  }
  const last = causes[causes.length - 1] ?? {};
  const message = text(last.message);
  const handshake = HANDSHAKE_REFUSED.exec(message);
  if (handshake) {
    const login = handshake[2] === 'ACCESS-REFUSED' ? 'login refused' : 'connection refused';
    return { class: 'broker_refused', message: `${where}: ${login}: ${handshake[1]} ${handshake[3]}` };
  }
  if (OPEN_REFUSED.test(message)) {
    return { class: 'broker_refused', message: `${where}: the broker refused to open the virtual host (it does not exist, or the user may not use it)` };
  }
  const closed = CHANNEL_CLOSED.exec(message);
  if (closed) return { class: 'broker_refused', message: `${where}: the broker refused the message: ${closed[1]} ${closed[3]}` };
  // amqplib's socket timeout while connecting.
  if (message === 'connect ETIMEDOUT') return { class: 'connect', message: `could not connect to the broker: no connection within the connect timeout (${where})` };
  return { class: 'network', message: `${where}: ${message || String(error)}` };
}

function describe(errorClass: AttemptErrorClass, detail: string): string {
  switch (errorClass) {
    case 'connect':
      return `could not connect to the broker: ${detail}`;
    case 'tls':
      return `TLS with the broker failed: ${detail}`;
    default:
      return detail;
  }
}
