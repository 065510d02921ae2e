import { EndpointClientCertificateV1, KafkaSaslV1 } from '@hookline/contracts';
import { GuardedSocketFactory, KafkaDestination } from '@hookline/net-guard';
import { Kafka, Producer, RecordMetadata, SASLOptions, logLevel } from 'kafkajs';
import { createHash } from 'node:crypto';
import type { SecureContextOptions } from 'node:tls';
import { ClientPool, ClientPoolObserver } from '../broker/client-pool';
import { withDeadline } from '../broker/with-deadline';
import { openClientCertificate } from '../broker/open-client-certificate';
import { KafkaDeadlineError, KafkaProducerLimitError, KafkaSaslUnavailableError, answeredByBroker } from './kafka-attempt-error';
import { KafkaDestinationRecord } from './kafka-record';

export interface KafkaProducersOptions {
  /** The SSRF-guarded socket factory every connection of every destination client goes through. */
  socketFactory: GuardedSocketFactory;
  clientId: string;
  connectTimeoutMs: number;
  /** Trust anchors replacing the system's (the public roots plus DELIVERY_EXTRA_CA_FILE); undefined: the system's. */
  ca?: SecureContextOptions['ca'];
  /** A producer no attempt used for this long is disconnected. */
  idleMs: number;
  /** At most this many producers connected at once; an idle one is disconnected to make room, else the attempt fails (undefined: no cap). */
  maxProducers?: number;
  /** Opens a client certificate's sealed private key or a SASL password (throws when it was sealed under another key). */
  open: (sealed: string) => string;
  /** Told of producers connected, disconnected and refused (the metrics). */
  observer?: ClientPoolObserver;
}

/** How an endpoint's producer authenticates to its brokers: the client certificate it presents, its SASL credentials. */
export interface KafkaCredentials {
  certificate?: EndpointClientCertificateV1 | null;
  sasl?: KafkaSaslV1 | null;
}

// A failed attempt is retried on the delivery's schedule, so kafkajs' own retries only ride out a moved leader or a
// stale metadata answer, well within one attempt's deadline.
const PRODUCER_RETRY = { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 };

// Connecting to a cluster that does not answer takes the request timeout once per retry: shutdown does not wait for
// that, the producer is disconnected once connected.
const SHUTDOWN_WAIT_MS = 2000;

/**
 * One kafkajs producer per destination cluster and identity (its bootstrap brokers, TLS or not, the client certificate
 * it presents, its SASL credentials), shared by every endpoint producing there as the same client and by concurrent
 * attempts: endpoints with other credentials never share a connection authenticated as someone else. A producer is
 * connected on first use, taken out after a failure other than a broker's refusal (a reconnect starts clean; so after
 * refused SASL credentials), disconnected after `idleMs` without attempts, the longest idle one when `maxProducers`
 * are connected and another is needed, and all of them at shutdown (see ClientPool). Records go with acks=all; a topic
 * is never created.
 */
export class KafkaProducers {
  private readonly pool: ClientPool<Producer>;

  constructor(private readonly options: KafkaProducersOptions) {
    this.pool = new ClientPool({
      idleMs: options.idleMs, maxClients: options.maxProducers ?? Infinity, limitError: (limit) => new KafkaProducerLimitError(limit),
      close: (producer) => producer.disconnect(), observer: options.observer,
    });
  }

  /**
   * Produces one record and resolves with where the cluster wrote it. Rejects with KafkaDeadlineError after
   * `timeoutMs` (connecting included), with ClientCertificateUnavailableError or KafkaSaslUnavailableError (nothing
   * sent), KafkaProducerLimitError, or with what kafkajs threw (a refused SASL handshake: KafkaJSSASLAuthenticationError).
   */
  async send(destination: KafkaDestination, credentials: KafkaCredentials, record: KafkaDestinationRecord, timeoutMs: number): Promise<RecordMetadata> {
    const key = clusterKey(destination, credentials);
    const produced = this.pool.use(key, () => this.connect(destination, credentials, timeoutMs), (producer) => this.produce(key, producer, destination.topic, record, timeoutMs));
    return withDeadline(produced, timeoutMs, () => new KafkaDeadlineError(timeoutMs));
  }

  /** Producers connected or connecting (for tests and metrics). */
  get size(): number {
    return this.pool.size;
  }

  /** Disconnects every producer, one still connecting once connected (dispatcher shutdown); attempts still running on them fail. */
  destroy(): Promise<void> {
    return this.pool.closeAll(SHUTDOWN_WAIT_MS);
  }

  /** Disconnects the producers nobody used for `idleMs` (called by the pool's sweeper; `now` for tests). */
  closeIdle(now: number): void {
    this.pool.closeIdle(now);
  }

  private async produce(key: string, producer: Producer, topic: string, record: KafkaDestinationRecord, timeoutMs: number): Promise<RecordMetadata> {
    try {
      const [written] = await producer.send({ topic, acks: -1, timeout: timeoutMs, messages: [{ key: record.key, value: record.value, headers: record.headers }] });
      return written;
    } catch (err) {
      // A broker that answered (unknown topic, not authorised, too large) leaves the connection sound; anything else
      // may have left it half-open or pointed at a broker that moved.
      if (!answeredByBroker(err)) this.pool.discard(key, producer);
      throw err;
    }
  }

  private async connect(destination: KafkaDestination, { certificate, sasl }: KafkaCredentials, timeoutMs: number): Promise<Producer> {
    const clientCertificate = openClientCertificate(certificate, this.options.open);
    let saslOptions: SASLOptions | undefined;
    if (sasl) {
      try {
        saslOptions = { mechanism: sasl.mechanism, username: sasl.username, password: this.options.open(sasl.password_sealed) };
      } catch (err) {
        throw new KafkaSaslUnavailableError(`cannot open the Kafka SASL password: ${(err as Error).message}`);
      }
    }
    const { ca } = this.options;
    const tlsOptions = { ...(ca === undefined ? {} : { ca }), ...(clientCertificate ?? {}) };
    const kafka = new Kafka({
      clientId: this.options.clientId,
      brokers: destination.brokers.map((b) => `${b.host}:${b.port}`),
      ssl: destination.tls ? (Object.keys(tlsOptions).length > 0 ? tlsOptions : true) : false,
      ...(saslOptions ? { sasl: saslOptions } : {}),
      socketFactory: this.options.socketFactory,
      connectionTimeout: this.options.connectTimeoutMs,
      requestTimeout: timeoutMs,
      retry: PRODUCER_RETRY,
      // A customer's cluster failing is an attempt's failure, recorded on the attempt; kafkajs' own lines would repeat it.
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: PRODUCER_RETRY });
    try {
      await producer.connect();
    } catch (err) {
      // The pool keeps no failed opening, so never closes it: whatever connected before the failure goes here, without
      // holding up the attempt's answer.
      void producer.disconnect().catch(() => undefined);
      throw err;
    }
    return producer;
  }
}

/**
 * The cluster and identity a producer is for: its bootstrap brokers, TLS, the certificate it presents (by fingerprint)
 * and its SASL mechanism, user name and password (by a hash of the sealed password: a changed password, or one sealed
 * again under a new key, gets a producer of its own; the old one is closed when idle).
 */
export function clusterKey(destination: KafkaDestination, { certificate, sasl }: KafkaCredentials): string {
  const brokers = destination.brokers.map((b) => `${b.host}:${b.port}`).join(',');
  const saslIdentity = sasl ? [sasl.mechanism, sasl.username, createHash('sha256').update(sasl.password_sealed).digest('base64url')] : [];
  // JSON, so no user name can make two identities read alike.
  return JSON.stringify([destination.tls ? 'tls' : 'plain', brokers, certificate?.fingerprint_sha256 ?? '', ...saslIdentity]);
}
