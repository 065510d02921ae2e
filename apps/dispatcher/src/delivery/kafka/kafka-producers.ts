import { EndpointClientCertificateV1 } from '@hookline/contracts';
import { GuardedSocketFactory, KafkaDestination } from '@hookline/net-guard';
import { Kafka, Producer, RecordMetadata, logLevel } from 'kafkajs';
import type { SecureContextOptions } from 'node:tls';
import { ClientCertificateUnavailableError } from '../endpoint-agents';
import { KafkaDeadlineError, answeredByBroker } from './kafka-attempt-error';
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
  /** Opens a client certificate's sealed private key (throws when it was sealed under another key). */
  open: (sealed: string) => string;
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
 * One kafkajs producer per destination cluster (its bootstrap brokers, TLS or not, and the client certificate it
 * presents), shared by every endpoint producing there and by concurrent attempts. A producer is connected on first
 * use, taken out after a failure other than a broker's refusal (a reconnect starts clean), disconnected after
 * `idleMs` without attempts, and all of them at shutdown. Records go with acks=all; a topic is never created.
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
   * `timeoutMs`, with ClientCertificateUnavailableError (nothing sent), or with what kafkajs threw.
   */
  async send(destination: KafkaDestination, certificate: EndpointClientCertificateV1 | null | undefined, record: KafkaDestinationRecord, timeoutMs: number): Promise<RecordMetadata> {
    const key = clusterKey(destination, certificate);
    let held = this.held.get(key);
    if (!held) {
      held = this.connect(destination, certificate, timeoutMs);
      this.held.set(key, held);
    }
    return withDeadline(this.produce(key, held, destination.topic, record, timeoutMs), timeoutMs);
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

  private connect(destination: KafkaDestination, certificate: EndpointClientCertificateV1 | null | undefined, timeoutMs: number): Held {
    let clientCertificate: { cert: string; key: string } | undefined;
    if (certificate) {
      try {
        clientCertificate = { cert: certificate.cert_pem, key: this.options.open(certificate.key_sealed) };
      } catch (err) {
        throw new ClientCertificateUnavailableError(`cannot open the client certificate's key: ${(err as Error).message}`);
      }
    }
    const { ca } = this.options;
    const tlsOptions = { ...(ca === undefined ? {} : { ca }), ...(clientCertificate ?? {}) };
    const kafka = new Kafka({
      clientId: this.options.clientId,
      brokers: destination.brokers.map((b) => `${b.host}:${b.port}`),
      ssl: destination.tls ? (Object.keys(tlsOptions).length > 0 ? tlsOptions : true) : false,
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

/** The cluster a producer is for: its bootstrap brokers, TLS, and the certificate it presents (by fingerprint). */
function clusterKey(destination: KafkaDestination, certificate: EndpointClientCertificateV1 | null | undefined): string {
  const brokers = destination.brokers.map((b) => `${b.host}:${b.port}`).join(',');
  return `${destination.tls ? 'tls' : 'plain'}|${brokers}|${certificate?.fingerprint_sha256 ?? ''}`;
}

function withDeadline<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KafkaDeadlineError(timeoutMs)), timeoutMs);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
