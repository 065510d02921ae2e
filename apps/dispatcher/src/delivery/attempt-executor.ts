import { AttemptErrorClass, AttemptResponseV1 } from '@hookline/contracts';
import { AmqpUrlParse, DeliveryError, KafkaUrlParse, postWebhook } from '@hookline/net-guard';
import { TransformationRunner, transformationInput } from '@hookline/transform';
import { SpanKind, SpanStatusCode, context, isSpanContextValid, propagation, trace, type Context } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import { KnownEndpoint } from '../config-view/endpoint-directory';
import { SigningSecrets } from '../config-view/signing-secrets';
import { InFlightDelivery } from '../domain/delivery-lifecycle';
import { AttemptOutcome, describeOutcome } from '../domain/retry-policy';
import { AmqpDestinations, AmqpPublishResult, PublishedMessage } from './amqp/amqp-destinations';
import { amqpMessageOf } from './amqp/amqp-message';
import { loggedBrokerHeaders } from './broker/broker-headers';
import { EndpointAgents } from './endpoint-agents';
import { KafkaDestinations, KafkaSendResult, WrittenRecord } from './kafka/kafka-destinations';
import { kafkaRecordOf } from './kafka/kafka-record';
import { EndpointTokens } from './oauth2/endpoint-tokens';
import { BuiltWebhookRequest, buildWebhookRequest } from './webhook-request';

/** Everything one attempt produced, for the retry decision and the delivery.attempted.v1 event. */
export interface AttemptRecord {
  outcome: AttemptOutcome;
  succeeded: boolean;
  url: string;
  requestHeaders: Record<string, string>;
  startedAt: Date;
  latencyMs: number;
  response: AttemptResponseV1 | null;
  /** What was sent, when the endpoint's transformation made it (its first maxResponseBytes): not derivable from the message. */
  requestBody?: { body: string; truncated: boolean };
  /** Where a Kafka destination's cluster wrote the record (only then). */
  kafkaRecord?: WrittenRecord;
  /** Where an AMQP destination's broker took the message: exchange and routing key (only once it confirmed it). */
  amqpPublish?: PublishedMessage;
  error: { class: AttemptErrorClass; message: string } | null;
  traceId: string | null;
  /** W3C headers of the attempt span (what the receiver got), so the attempt event continues the trace from there. */
  traceContext: Record<string, string>;
}

export interface AttemptExecutorOptions {
  /** Each endpoint's SSRF-guarded agent (its own when it presents a client certificate). */
  agents: EndpointAgents;
  secrets: SigningSecrets;
  timeoutMs: number;
  userAgent: string;
  maxResponseBytes: number;
  /** Access tokens of endpoints with OAuth 2.0 client-credentials auth. */
  tokens: EndpointTokens;
  /** Runs endpoints' transformations (off the event loop, each with a deadline). */
  transformations: TransformationRunner;
  /** Endpoints whose URL is a Kafka topic: their records, produced instead of a POST. */
  kafka: KafkaDestinations;
  /** Endpoints whose URL is an AMQP exchange: their messages, published instead of a POST. */
  amqp: AmqpDestinations;
}

/** An endpoint that gets no HTTP request: its URL names a Kafka topic or an AMQP exchange (parsed, or why it cannot be). */
type BrokerDestination = { kind: 'kafka'; parsed: KafkaUrlParse } | { kind: 'amqp'; parsed: AmqpUrlParse };

const tracer = () => trace.getTracer('hookline-dispatcher');

/**
 * Sends one signed attempt through the endpoint's SSRF-guarded agent (with its bearer token and client certificate when
 * it has them), inside a CLIENT span that continues the message's trace (the receiver gets its `traceparent`); to an
 * endpoint whose URL is a Kafka topic or an AMQP exchange, the same body and headers go as one record or message
 * instead (a PRODUCER span). Never
 * throws: a refused address, a timeout, an unopenable secret or key, or a token endpoint that gives no token is a
 * failed attempt with an error class, not a crash.
 */
export class AttemptExecutor {
  constructor(private readonly options: AttemptExecutorOptions) {}

  /** `parent`: the message's trace context (its consumer span), read from `delivery.message.trace` by the caller. */
  async execute(delivery: InFlightDelivery, endpoint: KnownEndpoint, parent: Context): Promise<AttemptRecord> {
    const broker = this.brokerOf(endpoint.state.settings.url);
    const span = tracer().startSpan('webhook attempt', { kind: broker ? SpanKind.PRODUCER : SpanKind.CLIENT }, parent);
    // Only for a span that is kept: parsing the URL for them is measurable on the hot path.
    if (span.isRecording()) {
      span.setAttributes({
        'hookline.tenant_id': delivery.tenantId, 'hookline.message_id': delivery.message.message_id, 'hookline.endpoint_id': delivery.endpointId,
        'hookline.delivery_id': delivery.deliveryId, 'hookline.attempt': delivery.attempt,
        ...(broker ? brokerAttributes(broker, delivery.message.event_type) : { 'http.request.method': 'POST', ...serverAttributes(endpoint.state.settings.url) }),
      });
    }
    const ctx = trace.setSpan(parent, span);
    try {
      const record = await context.with(ctx, () => this.send(delivery, endpoint, ctx, broker));
      if (record.response) span.setAttribute('http.response.status_code', record.response.status);
      if (!record.succeeded) span.setStatus({ code: SpanStatusCode.ERROR, message: describeOutcome(record.outcome) });
      return record;
    } finally {
      span.end();
    }
  }

  private brokerOf(url: string): BrokerDestination | undefined {
    const kafka = this.options.kafka.destinationOf(url);
    if (kafka) return { kind: 'kafka', parsed: kafka };
    const amqp = this.options.amqp.destinationOf(url);
    return amqp ? { kind: 'amqp', parsed: amqp } : undefined;
  }

  /** `broker`: the endpoint's Kafka or AMQP destination, undefined for an http(s) endpoint. */
  private async send(delivery: InFlightDelivery, endpoint: KnownEndpoint, ctx: ReturnType<typeof trace.setSpan>, broker: BrokerDestination | undefined): Promise<AttemptRecord> {
    const startedAt = new Date();
    const traceHeaders: Record<string, string> = {};
    propagation.inject(ctx, traceHeaders);
    // Without a tracing SDK nothing is injected; the publisher's own trace context still goes to the receiver.
    if (!traceHeaders.traceparent && delivery.message.trace.traceparent) Object.assign(traceHeaders, delivery.message.trace);
    const spanContext = trace.getSpanContext(ctx);
    const traceId = spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : (traceHeaders.traceparent?.split('-')[1] ?? null);
    const base = { url: endpoint.state.settings.url, startedAt, traceId, traceContext: traceHeaders };

    const { auth, client_certificate: certificate } = endpoint.state.settings;
    // A broker destination's client presents the certificate and its credentials itself (see KafkaProducers, AmqpConnections).
    let agent: Dispatcher | undefined;
    try {
      if (!broker) agent = this.options.agents.for(delivery.endpointId, certificate);
    } catch (err) {
      // Nothing was sent: the endpoint's client certificate cannot be presented.
      return failed(base, {}, 'endpoint_unavailable', (err as Error).message, 0);
    }

    let authorization: string | undefined;
    // A broker destination gets no HTTP request to carry a token: the command service refuses OAuth next to one (its
    // client authenticates with its own auth, see KafkaProducers and AmqpConnections).
    if (auth?.type === 'oauth2_client_credentials' && agent) {
      try {
        authorization = await this.options.tokens.authorization(delivery.endpointId, auth,
          certificate ? { agent, fingerprint: certificate.fingerprint_sha256 } : undefined);
      } catch (err) {
        // Nothing was sent to the endpoint: without its token the request would only be refused.
        return failed(base, {}, 'auth_token', (err as Error).message, Date.now() - startedAt.getTime());
      }
    }

    let body: Buffer | undefined;
    const { transformation } = endpoint.state.settings;
    if (transformation) {
      try {
        body = await this.transform(transformation, delivery);
      } catch (err) {
        // Nothing was sent: the endpoint's own expression gave no body for this message. A fix to it applies from the next retry.
        return failed(base, {}, 'transformation', `transformation failed: ${(err as Error).message}`, Date.now() - startedAt.getTime());
      }
    }

    let request;
    try {
      const secrets = this.options.secrets.active(endpoint.state, startedAt);
      request = buildWebhookRequest({
        message: delivery.message, tenantId: delivery.tenantId, settings: endpoint.state.settings, secrets,
        attempt: delivery.attempt, now: startedAt, userAgent: this.options.userAgent, traceHeaders, authorization, body,
      });
    } catch (err) {
      // Nothing was sent: the endpoint cannot be signed for (its secret was sealed under another key, or it has none).
      return failed(base, {}, 'endpoint_unavailable', `cannot sign: ${(err as Error).message}`, 0);
    }
    if (broker) return this.withSentBody(body, await this.toBroker(broker, delivery, endpoint, request, base));
    try {
      const res = await postWebhook(agent!, {
        url: request.url, headers: request.headers, body: request.body, timeoutMs: this.options.timeoutMs,
        maxResponseBytes: this.options.maxResponseBytes,
      });
      if (res.status === 401 && authorization) this.options.tokens.rejected(delivery.endpointId, authorization);
      const outcome: AttemptOutcome = { kind: 'response', status: res.status, retryAfter: res.headers['retry-after'] ?? null };
      const succeeded = res.status >= 200 && res.status < 300;
      return this.withSentBody(body, withBase(base, {
        outcome, succeeded, requestHeaders: request.loggedHeaders, latencyMs: res.latencyMs,
        response: { status: res.status, headers: res.headers, body: res.body, body_truncated: res.bodyTruncated },
        error: succeeded ? null : { class: res.status >= 300 && res.status < 400 ? 'redirect' : 'http_status', message: describeOutcome(outcome) },
      }));
    } catch (err) {
      const errorClass: AttemptErrorClass = err instanceof DeliveryError ? err.class : 'network';
      return this.withSentBody(body, failed(base, request.loggedHeaders, errorClass, (err as Error).message, Date.now() - startedAt.getTime()));
    }
  }

  /**
   * The attempt as one record to the endpoint's Kafka topic, succeeded once the cluster acknowledged it (acks=all), or
   * as one message to its AMQP exchange, succeeded once the broker confirmed it (publisher confirm) and routed it to a
   * queue (mandatory: a returned message failed).
   */
  private async toBroker(
    broker: BrokerDestination, delivery: InFlightDelivery, endpoint: KnownEndpoint, request: BuiltWebhookRequest, base: AttemptBase,
  ): Promise<AttemptRecord> {
    const requestHeaders = loggedBrokerHeaders(request);
    // Refused when the endpoint was created or changed; a URL that slipped past an older check is not guessed at.
    const unusable = (kind: string, errors: string[]) =>
      failed(base, requestHeaders, 'endpoint_unavailable', `not a usable ${kind} destination URL: ${errors.join('; ')}`, 0);
    const { client_certificate: certificate, auth } = endpoint.state.settings;
    let result: KafkaSendResult | AmqpPublishResult;
    if (broker.kind === 'kafka') {
      if (!broker.parsed.ok) return unusable('Kafka', broker.parsed.errors);
      const credentials = { certificate, sasl: auth?.type === 'kafka_sasl' ? auth : null };
      result = await this.options.kafka.send(broker.parsed.destination, credentials, kafkaRecordOf(request, delivery.message));
    } else {
      if (!broker.parsed.ok) return unusable('AMQP', broker.parsed.errors);
      const credentials = { certificate, login: auth?.type === 'amqp_plain' ? auth : null };
      const message = amqpMessageOf(request, delivery.message, broker.parsed.destination);
      result = await this.options.amqp.publish(delivery.endpointId, broker.parsed.destination, credentials, message);
    }
    const latencyMs = Date.now() - base.startedAt.getTime();
    if (!result.ok) return failed(base, requestHeaders, result.error.class, result.error.message, latencyMs);
    const record = withBase(base, { outcome: { kind: 'acknowledged' }, succeeded: true, requestHeaders, latencyMs, response: null, error: null });
    if ('written' in result) record.kafkaRecord = result.written;
    else record.amqpPublish = result.published;
    return record;
  }

  /**
   * For the attempt log: a transformed body as sent, cut to the size kept of a response body. Added to the record only
   * then (not spread into every record: the plain attempt's object keeps its one shape on the hot path).
   */
  private withSentBody(body: Buffer | undefined, record: AttemptRecord): AttemptRecord {
    if (body) {
      const max = this.options.maxResponseBytes;
      record.requestBody = { body: body.subarray(0, max).toString('utf8'), truncated: body.length > max };
    }
    return record;
  }

  /** The endpoint's body for this message (see transformationInput for what the expression gets). */
  private transform(expression: string, delivery: InFlightDelivery): Promise<Buffer> {
    const { message } = delivery;
    const { input, bindings } = transformationInput({ ...message, endpoint_id: delivery.endpointId, attempt: delivery.attempt });
    return this.options.transformations.run(expression, input, bindings);
  }
}

type AttemptBase = Pick<AttemptRecord, 'url' | 'startedAt' | 'traceId' | 'traceContext'>;

/** The record: `base` assigned onto the rest, not spread (see coreOf in domain/delivery-lifecycle.ts). */
function withBase(base: AttemptBase, rest: Omit<AttemptRecord, keyof AttemptBase>): AttemptRecord {
  return Object.assign(rest, base);
}

function failed(base: AttemptBase, requestHeaders: Record<string, string>, errorClass: AttemptErrorClass, message: string, latencyMs: number): AttemptRecord {
  return withBase(base, {
    requestHeaders, latencyMs, response: null, succeeded: false,
    outcome: { kind: 'error', errorClass, message }, error: { class: errorClass, message },
  });
}

/**
 * OpenTelemetry messaging attributes of an attempt at a broker destination: for Kafka the topic and the first bootstrap
 * broker; for RabbitMQ the exchange, the routing key and the broker.
 */
function brokerAttributes(broker: BrokerDestination, eventType: string): Record<string, string | number> {
  if (broker.kind === 'kafka') {
    if (!broker.parsed.ok) return { 'messaging.system': 'kafka' };
    const [first] = broker.parsed.destination.brokers;
    return {
      'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.destination.name': broker.parsed.destination.topic,
      'server.address': first.host, 'server.port': first.port,
    };
  }
  if (!broker.parsed.ok) return { 'messaging.system': 'rabbitmq' };
  const { exchange, routingKey, host, port } = broker.parsed.destination;
  return {
    'messaging.system': 'rabbitmq', 'messaging.operation.type': 'send', 'messaging.destination.name': exchange,
    'messaging.rabbitmq.destination.routing_key': routingKey ?? eventType, 'server.address': host, 'server.port': port,
  };
}

// Host and port only: a webhook URL's path and query often carry the receiver's own tokens, which do not belong in traces.
function serverAttributes(url: string): Record<string, string | number> {
  try {
    const u = new URL(url);
    return { 'server.address': u.hostname, 'server.port': Number(u.port || (u.protocol === 'https:' ? 443 : 80)) };
  } catch {
    return {};
  }
}
