import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSRequestTimeoutError, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { KafkaDeadlineError, KafkaProducerLimitError, answeredByBroker, classifyKafkaError } from './kafka-attempt-error';

const where = 'Kafka topic orders at b.example.com:9093';
// What kafkajs throws once its retries ran out: the last failure as the cause.
const exhausted = (cause: Error) => new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 2, retryTime: 400 });
const socketError = (code: string, message: string) => new KafkaJSConnectionError(`Connection error: ${message}`, { broker: 'b.example.com:9093', code });
const protocolError = (type: string, message: string) => new KafkaJSProtocolError({ type, code: 3, retriable: true, message } as never);

describe('classifyKafkaError', () => {
  it("reads the socket's code through kafkajs' wrappers: ssrf_refused, dns, connect, tls", () => {
    expect(classifyKafkaError(exhausted(socketError('SSRF_REFUSED', 'refused to connect to 10.0.0.5: private address')), where)).toEqual({
      class: 'ssrf_refused', message: `refused to connect to 10.0.0.5: private address (${where})`,
    });
    expect(classifyKafkaError(socketError('DNS_LOOKUP_FAILED', 'could not resolve b.example.com: ENOTFOUND'), where).class).toBe('dns');
    const refused = socketError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:9093');
    expect(classifyKafkaError(Object.assign(new KafkaJSNonRetriableError(refused), { cause: refused }), where)).toEqual({
      class: 'connect', message: `could not connect to Kafka broker b.example.com:9093: connect ECONNREFUSED 10.0.0.5:9093 (${where})`,
    });
    expect(classifyKafkaError(socketError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), where)).toEqual({
      class: 'tls', message: `TLS with Kafka broker b.example.com:9093 failed: self-signed certificate (${where})`,
    });
  });

  it("calls a broker's Kafka error broker_refused, naming it", () => {
    const error = exhausted(protocolError('UNKNOWN_TOPIC_OR_PARTITION', 'This server does not host this topic-partition'));
    expect(classifyKafkaError(error, where)).toEqual({
      class: 'broker_refused', message: `${where}: the cluster refused the record: UNKNOWN_TOPIC_OR_PARTITION (This server does not host this topic-partition)`,
    });
    expect(classifyKafkaError(protocolError('TOPIC_AUTHORIZATION_FAILED', 'Not authorized to access topics: [Topic authorization failed]'), where).class).toBe('broker_refused');
    expect(answeredByBroker(error)).toBe(true);
    expect(answeredByBroker(socketError('ECONNREFUSED', 'refused'))).toBe(false);
  });

  it('calls a refused SASL handshake broker_refused, saying SASL authentication failed, with the mechanism and the reason', () => {
    // kafkajs' types give this error no constructor arguments; it takes the message like every KafkaJSError.
    const saslError = (message: string) => new (KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error)(message);
    // What kafkajs' retrier rejects with for a non-retriable failure: the SASL error as its cause.
    const nonRetriable = (cause: Error) => Object.assign(new KafkaJSNonRetriableError(cause), { cause });
    const plain = nonRetriable(saslError('SASL PLAIN authentication failed: Authentication failed: Invalid username or password'));
    expect(classifyKafkaError(plain, where)).toEqual({
      class: 'broker_refused', message: `${where}: SASL authentication failed (PLAIN): Authentication failed: Invalid username or password`,
    });
    const scram = saslError('SASL SCRAM SHA256 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256');
    expect(classifyKafkaError(scram, where)).toEqual({
      class: 'broker_refused',
      message: `${where}: SASL authentication failed (SCRAM SHA256): Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256`,
    });
    expect(classifyKafkaError(saslError('SASL SCRAM-SHA-512 mechanism is not supported by the server'), where)).toEqual({
      class: 'broker_refused', message: `${where}: SASL authentication failed: SASL SCRAM-SHA-512 mechanism is not supported by the server`,
    });
    // Not a Kafka error code: the producer is taken out of the pool and the next attempt authenticates anew.
    expect(answeredByBroker(plain)).toBe(false);
  });

  it('calls a missed deadline or a request timeout timeout, a connect timeout connect, and anything else network', () => {
    expect(classifyKafkaError(new KafkaDeadlineError(2000), where)).toEqual({ class: 'timeout', message: `${where}: no acknowledgement within 2000 ms` });
    expect(classifyKafkaError(new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out'), where).class).toBe('timeout');
    expect(classifyKafkaError(exhausted(new KafkaJSConnectionError('Connection timeout', { broker: 'b.example.com:9093' })), where)).toEqual({
      class: 'connect', message: `could not connect to Kafka broker b.example.com:9093: no connection within the connect timeout (${where})`,
    });
    expect(classifyKafkaError(new KafkaJSConnectionError('Connection closed by the server', { broker: 'b.example.com:9093' }), where)).toEqual({
      class: 'network', message: `${where}: Connection closed by the server`,
    });
  });

  it("calls a full producer pool connect, like a connect timeout: nothing reached the cluster, and it names the setting", () => {
    expect(classifyKafkaError(new KafkaProducerLimitError(500), where)).toEqual({
      class: 'connect', message: `${where}: the dispatcher already holds 500 Kafka producers, all in use (KAFKA_DESTINATION_MAX_PRODUCERS)`,
    });
  });
});
