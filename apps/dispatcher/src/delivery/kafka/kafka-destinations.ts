import { KafkaDestination, KafkaUrlParse, isKafkaUrl, parseKafkaUrl } from '@hookline/net-guard';
import { ParsedUrls } from '../broker/parsed-urls';
import { ClientCertificateUnavailableError } from '../endpoint-agents';
import { KafkaAttemptError, KafkaSaslUnavailableError, classifyKafkaError } from './kafka-attempt-error';
import { KafkaCredentials, KafkaProducers } from './kafka-producers';
import { KafkaDestinationRecord } from './kafka-record';

export interface KafkaDestinationsOptions {
  producers: Pick<KafkaProducers, 'send'>;
  /** DELIVERY_TIMEOUT_MS: the longest one record may take to be acknowledged, connecting included. */
  timeoutMs: number;
  /** Why this dispatcher cannot reach Kafka destinations at all (every attempt fails with it); undefined: it can. */
  unavailable?: string;
}

/** Where the cluster wrote a record (delivery.attempted.v1's kafka_record). */
export interface WrittenRecord {
  topic: string;
  partition: number;
  offset: string;
}

export type KafkaSendResult = { ok: true; written: WrittenRecord } | { ok: false; error: KafkaAttemptError };

/**
 * Endpoints whose URL names a Kafka topic (`kafka+tls://…` / `kafka://…`): which they are, and one record produced to
 * one for an attempt, failures classified (see classifyKafkaError). Never throws.
 */
export class KafkaDestinations {
  private readonly parsed = new ParsedUrls(isKafkaUrl, parseKafkaUrl);

  constructor(private readonly options: KafkaDestinationsOptions) {}

  /** The parsed destination of a Kafka URL (or why it cannot be one), undefined for an http(s) URL. */
  destinationOf(url: string): KafkaUrlParse | undefined {
    return this.parsed.of(url);
  }

  /** `credentials`: the endpoint's client certificate and SASL auth, which its producer authenticates with. */
  async send(destination: KafkaDestination, credentials: KafkaCredentials, record: KafkaDestinationRecord): Promise<KafkaSendResult> {
    if (this.options.unavailable) return { ok: false, error: { class: 'endpoint_unavailable', message: this.options.unavailable } };
    try {
      const written = await this.options.producers.send(destination, credentials, record, this.options.timeoutMs);
      return { ok: true, written: { topic: written.topicName, partition: written.partition, offset: written.baseOffset ?? written.offset ?? '' } };
    } catch (err) {
      // Nothing was sent: the endpoint's client certificate or SASL password cannot be opened.
      if (err instanceof ClientCertificateUnavailableError || err instanceof KafkaSaslUnavailableError) {
        return { ok: false, error: { class: 'endpoint_unavailable', message: err.message } };
      }
      return { ok: false, error: classifyKafkaError(err, describeDestination(destination)) };
    }
  }
}

/** `Kafka topic orders at b1.example.com:9093,b2.example.com:9093`, for attempt error messages. */
export function describeDestination(destination: KafkaDestination): string {
  return `Kafka topic ${destination.topic} at ${destination.brokers.map((b) => `${b.host}:${b.port}`).join(',')}`;
}
