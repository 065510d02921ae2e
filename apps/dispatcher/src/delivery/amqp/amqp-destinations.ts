import { EndpointId } from '@hookline/contracts';
import { AmqpDestination, AmqpUrlParse, isAmqpUrl, parseAmqpUrl } from '@hookline/net-guard';
import { ParsedUrls } from '../broker/parsed-urls';
import { ClientCertificateUnavailableError } from '../endpoint-agents';
import { AmqpAttemptError, AmqpPasswordUnavailableError, classifyAmqpError } from './amqp-attempt-error';
import { AmqpConnections, AmqpCredentials } from './amqp-connections';
import { AmqpDestinationMessage } from './amqp-message';

export interface AmqpDestinationsOptions {
  connections: Pick<AmqpConnections, 'publish'>;
  /** DELIVERY_TIMEOUT_MS: the longest one message may take to be confirmed, connecting included. */
  timeoutMs: number;
  /** Why this dispatcher cannot reach AMQP destinations at all (every attempt fails with it); undefined: it can. */
  unavailable?: string;
}

/** Where the broker took a message (delivery.attempted.v1's amqp_publish): the exchange and the routing key it carried. */
export interface PublishedMessage {
  exchange: string;
  routing_key: string;
}

export type AmqpPublishResult = { ok: true; published: PublishedMessage } | { ok: false; error: AmqpAttemptError };

/**
 * Endpoints whose URL names an AMQP exchange (`amqps://…` / `amqp://…`): which they are, and one message published to
 * one for an attempt, failures classified (see classifyAmqpError). Never throws.
 */
export class AmqpDestinations {
  private readonly parsed = new ParsedUrls(isAmqpUrl, parseAmqpUrl);

  constructor(private readonly options: AmqpDestinationsOptions) {}

  /** The parsed destination of an AMQP URL (or why it cannot be one), undefined for any other URL. */
  destinationOf(url: string): AmqpUrlParse | undefined {
    return this.parsed.of(url);
  }

  /** `credentials`: the endpoint's client certificate and login, which its connection authenticates with. */
  async publish(endpointId: EndpointId, destination: AmqpDestination, credentials: AmqpCredentials, message: AmqpDestinationMessage): Promise<AmqpPublishResult> {
    if (this.options.unavailable) return { ok: false, error: { class: 'endpoint_unavailable', message: this.options.unavailable } };
    try {
      await this.options.connections.publish(endpointId, destination, credentials, message, this.options.timeoutMs);
      // The message's routing key, not the URL's: without one in the URL each message is routed by its event type.
      return { ok: true, published: { exchange: destination.exchange, routing_key: message.routingKey } };
    } catch (err) {
      // Nothing was sent: the endpoint's client certificate or password cannot be opened.
      if (err instanceof ClientCertificateUnavailableError || err instanceof AmqpPasswordUnavailableError) {
        return { ok: false, error: { class: 'endpoint_unavailable', message: err.message } };
      }
      return { ok: false, error: classifyAmqpError(err, describeAmqpDestination(destination)) };
    }
  }
}

/** `AMQP exchange orders (vhost /) at rabbit.example.com:5671`, for attempt error messages. */
export function describeAmqpDestination(destination: AmqpDestination): string {
  const host = destination.host.includes(':') ? `[${destination.host}]` : destination.host;
  return `AMQP exchange ${destination.exchange} (vhost ${destination.vhost}) at ${host}:${destination.port}`;
}
