import { EndpointClientCertificateV1, KafkaSaslV1 } from '@hookline/contracts';
import { GuardedSocketFactory, KafkaDestination } from '@hookline/net-guard';
import { Kafka, Producer, RecordMetadata, SASLOptions, logLevel } from 'kafkajs';
import { createHash } from 'node:crypto';
import type { SecureContextOptions } from 'node:tls';
import { withDeadline } from '../broker/with-deadline';
import { openClientCertificate } from '../broker/open-client-certificate';
import { KafkaDeadlineError, KafkaSaslUnavailableError, answeredByBroker } from './kafka-attempt-error';
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
  /** Opens a client certificate's sealed private key or a SASL password (throws when it was sealed under another key). */
  open: (sealed: string) => string;
}

/** How an endpoint's producer authenticates to its brokers: the client certificate it presents, its SASL credentials. */
export interface KafkaCredentials {
  certificate?: EndpointClientCertificateV1 | null;
  sasl?: KafkaSaslV1 | null;
}

interface Held {
  producer: Producer;
  connected: Promise<void>;
  users: number;
  lastUsedAt: number;
  /** Out of the pool after a failure: disconnected once its last attempt ended, and the next attempt connects anew. */
  retired: boolean;
}

// A failed attempt is retried on the delivery's schedule, so kafkajs' own retries only ride out a moved leader or a
// stale metadata answer, well within one attempt's deadline.
const PRODUCER_RETRY = { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 };

/**
 * One kafkajs producer per destination cluster and identity (its bootstrap brokers, TLS or not, the client certificate
 * it presents, its SASL credentials), shared by every endpoint producing there as the same client and by concurrent
 * attempts: endpoints with other credentials never share a connection authenticated as someone else. A producer is
 * connected on first use, taken out after a failure other than a broker's refusal (a reconnect starts clean; so after
 * refused SASL credentials), disconnected after `idleMs` without attempts, and all of them at shutdown. Records go
 * with acks=all; a topic is never created.
 */
export class KafkaProducers {
  private readonly held = new Map<string, Held>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: KafkaProducersOptions) {
    this.sweeper = setInterval(() => this.closeIdle(Date.now()), Math.max(1000, Math.floor(options.idleMs / 2)));
    this.sweeper.unref();
  }

  /**
   * Produces one record and resolves with where the cluster wrote it. Rejects with KafkaDeadlineError after
   * `timeoutMs`, with ClientCertificateUnavailableError or KafkaSaslUnavailableError (nothing sent), or with what
   * kafkajs threw (a refused SASL handshake: KafkaJSSASLAuthenticationError).
   */
  async send(destination: KafkaDestination, credentials: KafkaCredentials, record: KafkaDestinationRecord, timeoutMs: number): Promise<RecordMetadata> {
    const key = clusterKey(destination, credentials);
    let held = this.held.get(key);
    if (!held) {
      held = this.connect(destination, credentials, timeoutMs);
      this.held.set(key, held);
    }
    return withDeadline(this.produce(key, held, destination.topic, record, timeoutMs), timeoutMs, () => new KafkaDeadlineError(timeoutMs));
  }

  /** Producers connected or connecting (for tests and metrics). */
  get size(): number {
    return this.held.size;
  }

  /** Disconnects every producer (dispatcher shutdown); attempts still running on them fail. */
  async destroy(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.held.values()];
    this.held.clear();
    await Promise.all(all.map((h) => h.producer.disconnect().catch(() => undefined)));
  }

  /** Disconnects the producers nobody used for `idleMs` (called by the sweeper; `now` for tests). */
  closeIdle(now: number): void {
    for (const [key, held] of this.held) {
      if (held.users === 0 && now - held.lastUsedAt >= this.options.idleMs) {
        this.held.delete(key);
        void held.producer.disconnect().catch(() => undefined);
      }
    }
  }

  private async produce(key: string, held: Held, topic: string, record: KafkaDestinationRecord, timeoutMs: number): Promise<RecordMetadata> {
    held.users += 1;
    try {
      await held.connected;
      const [written] = await held.producer.send({ topic, acks: -1, timeout: timeoutMs, messages: [{ key: record.key, value: record.value, headers: record.headers }] });
      return written;
    } catch (err) {
      // A broker that answered (unknown topic, not authorised, too large) leaves the connection sound; anything else
      // may have left it half-open or pointed at a broker that moved.
      if (!answeredByBroker(err)) this.retire(key, held);
      throw err;
    } finally {
      held.users -= 1;
      held.lastUsedAt = Date.now();
      if (held.retired && held.users === 0) void held.producer.disconnect().catch(() => undefined);
    }
  }

  private connect(destination: KafkaDestination, { certificate, sasl }: KafkaCredentials, timeoutMs: number): Held {
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
    const connected = producer.connect();
    connected.catch(() => undefined);
    return { producer, connected, users: 0, lastUsedAt: Date.now(), retired: false };
  }

  private retire(key: string, held: Held): void {
    held.retired = true;
    if (this.held.get(key) === held) this.held.delete(key);
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
