import { Inject, Injectable } from '@nestjs/common';
import { SourceIdempotencyV1, SourceRateLimitV1, isId } from '@hookline/contracts';
import type { Logger, Metrics } from '@hookline/observability';
import { ProblemError, httpStatusOf } from '@hookline/service-kit';
import { SecretSealingError } from '@hookline/signing';
import { PublishMessageHandler } from '../../commands/publish-message/publish-message.handler';
import type { CommandConfig } from '../../infrastructure/infrastructure';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { EndpointSecrets } from '../../infrastructure/secrets/endpoint-secrets';
import { boundedLabel } from '../../observability/bounded-label';
import { jsonStorageProblem } from '../../shared/json-limits';
import { isJsonMediaType } from '../../shared/json-content-type.middleware';
import { COMMAND_CONFIG, LOGGER, METRICS } from '../../shared/tokens';
import { readIncoming, valueAt } from '../incoming-message';
import { publishFromSource } from '../publish-from-source';
import { sourceIdempotencyKey } from '../source-idempotency-key';
import { OversizeBody, oversizeBodyProblem } from './oversize-body';
import { IncomingHeaders, firstHeader } from './same-text';
import { RefusedRequest } from './refused-request';
import { HandshakeReply, getHandshakeReply, postHandshakeReply } from './source-handshakes';
import { SourceRateLimits } from './source-rate-limits';
import { SourceRefusalLog } from './source-refusal-log';
import { sealedSecretOf, verifySourceRequest } from './verify-source-request';

/** A provider's request as it arrived: the raw body (signatures are over its bytes), the headers and the query string. */
export interface IncomingWebhook {
  headers: IncomingHeaders;
  body: Buffer;
  /** Set when the body was over the ingest limit and not read (`body` is then empty). */
  oversize?: OversizeBody;
  /** Where handshakes carry their token (Microsoft Graph's `validationToken`). */
  query: URLSearchParams;
  /** Marks the answer as a provider's retry's (REST: `Idempotent-Replayed: true`). */
  markReplayed?: () => void;
}

/** A webhook published as a message, or a handshake answered (and nothing published). */
export type IngestOutcome = { kind: 'published'; message_id: string } | { kind: 'handshake'; reply: HandshakeReply };

/**
 * Takes a provider's webhook sent to an HTTP source (`POST /ingest/{source_id}`): finds the source (its tenant comes
 * from it), checks the request comes from the provider, answers it itself when it is the source's handshake, reads the
 * event type, payload and idempotency key the source names, and publishes it as a message through POST /messages' own
 * handler. Resolves once Kafka acknowledged it; a provider's retry with the same idempotency value gets the first
 * message's id and publishes nothing again. A source's `rate_limit` is checked once the request verified: counting a
 * stranger's requests against it would let anyone starve the provider. `answerGet` answers the one handshake made with
 * a GET (Meta's).
 */
@Injectable()
export class IngestWebhookHandler {
  private readonly outcomes;
  private readonly sourceLabel: (sourceId: string) => string;

  constructor(
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
    @Inject(EndpointSecrets) private readonly secrets: EndpointSecrets,
    @Inject(PublishMessageHandler) private readonly publisher: PublishMessageHandler,
    @Inject(METRICS) metrics: Metrics,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(COMMAND_CONFIG) config: CommandConfig,
    @Inject(SourceRefusalLog) private readonly refusals: SourceRefusalLog,
    @Inject(SourceRateLimits) private readonly rateLimits: SourceRateLimits,
  ) {
    this.outcomes = metrics.counter('command_http_source_requests_total', 'Webhooks received by HTTP sources, by source and outcome (published, replayed, handshake, or why refused)', ['source', 'outcome']);
    this.sourceLabel = boundedLabel(config.METRICS_TENANT_SERIES_LIMIT);
  }

  async execute(sourceId: string, request: IncomingWebhook): Promise<IngestOutcome> {
    const { tenantId, settings, refuse, unsealing } = await this.activeSource(sourceId,
      { receivedAt: new Date(), method: 'POST', headers: request.headers, query: request.query, body: request.body, bodyBytes: request.oversize?.bodyBytes });
    // Nothing of it was read: there is nothing to verify or publish, only the refusal to record for the source.
    if (request.oversize) return refuse('too_large', 'body_over_limit', oversizeBodyProblem(request.oversize));
    // Graph's URL check is never signed and carries no clientState: it is answered before any verification (echoing its
    // token is all it asks, and tells a caller nothing about the source).
    const graphCheck = settings.handshake?.type === 'microsoft_graph' ? postHandshakeReply(settings.handshake, { query: request.query, body: undefined }, noSecret) : null;
    if (graphCheck) {
      this.count(sourceId, 'handshake');
      return { kind: 'handshake', reply: graphCheck };
    }
    const verified = unsealing(() => verifySourceRequest(settings.verification, (sealed) => this.secrets.open(sealed), { ...request, nowSeconds: Math.floor(Date.now() / 1000) }));
    if (!verified.ok) return refuse('unauthenticated', verified.reason, new ProblemError('unauthenticated', 'signature did not verify'));
    // Only now: a request that did not verify must not spend the provider's budget.
    const admitted = this.rateLimits.admit(sourceId, settings.rate_limit);
    if (!admitted.ok) return refuse('rate_limited', 'over_rate_limit', rateLimitedProblem(admitted.limit, admitted.retryAfterSeconds));
    const contentType = firstHeader(request.headers, 'content-type');
    const isJson = contentType !== undefined && isJsonMediaType(contentType);
    const parsed = isJson ? parsedJson(request.body) : null;
    // Before the JSON checks: Graph's validation request has no body, sent as text/plain.
    const handshake = unsealing(() => postHandshakeReply(settings.handshake ?? null, { query: request.query, body: parsed?.value }, () => this.secrets.open(sealedSecretOf(settings.verification))));
    if (handshake) {
      this.count(sourceId, 'handshake');
      return { kind: 'handshake', reply: handshake };
    }
    if (!isJson) {
      return refuse('not_json', 'content_type', new ProblemError('unsupported_media_type', `webhooks must be JSON sent with Content-Type: application/json (got ${contentType ? `"${contentType.slice(0, 100)}"` : 'no Content-Type'})`));
    }
    if (parsed === null) return refuse('not_json', 'malformed_json', new ProblemError('validation', 'request body is not valid JSON', [{ pointer: '', detail: 'malformed JSON' }]));
    const body = parsed.value;
    const unstorable = jsonStorageProblem(body);
    if (unstorable) return refuse('rejected', 'unstorable', new ProblemError('validation', `the body contains a value that can't be accepted: ${unstorable.pointer || '/'} ${unstorable.detail}`, [unstorable]));
    const header = (name: string) => firstHeader(request.headers, name);
    const read = readIncoming(settings, body, header, 'body');
    if (!read.ok) return refuse(read.reason, read.detail, new ProblemError('unknown_reference', read.detail, [{ pointer: read.pointer, detail: read.reason === 'no_event_type' ? 'no event type here' : 'no payload here' }]));
    let replayed = false;
    try {
      const published = await publishFromSource(this.publisher, {
        tenantId,
        callerId: `source:${sourceId}`,
        headers: { traceparent: header('traceparent'), tracestate: header('tracestate'), 'x-correlation-id': header('x-correlation-id') },
        publish: { event_type: read.event_type, payload: read.payload, ...(settings.channels?.length ? { channels: settings.channels } : {}) },
        idempotencyKey: idempotencyKeyOf(sourceId, settings.idempotency, body, header),
        onReplay: () => {
          replayed = true;
          request.markReplayed?.();
        },
      });
      this.count(sourceId, replayed ? 'replayed' : 'published');
      return { kind: 'published', message_id: published.id };
    } catch (err) {
      if (!(err instanceof ProblemError) || err.kind === 'unavailable' || err.kind === 'internal') throw err;
      return refuse('rejected', err.kind, err);
    }
  }

  /**
   * A GET of a source's ingest URL: Meta's verification request, answered with its challenge when the verify token is
   * the source's (403 otherwise); a source without Meta's handshake takes only POSTs (405).
   */
  async answerGet(sourceId: string, query: URLSearchParams, headers: IncomingHeaders = {}): Promise<HandshakeReply> {
    const { settings, refuse, unsealing } = await this.activeSource(sourceId, { receivedAt: new Date(), method: 'GET', headers, query, body: Buffer.alloc(0) });
    const outcome = unsealing(() => getHandshakeReply(settings.handshake ?? null, query, (sealed) => this.secrets.open(sealed)));
    if (outcome.ok) {
      this.count(sourceId, 'handshake');
      return outcome.reply;
    }
    if (outcome.reason === 'no_get_handshake') {
      return refuse('method_not_allowed', outcome.reason, new ProblemError('method_not_allowed', 'webhooks are POSTed to an ingest URL; only a source with the meta handshake answers a GET', [], {}, { allow: 'POST' }));
    }
    return refuse('forbidden', outcome.reason, new ProblemError('forbidden', 'the verify token is not this source\'s'));
  }

  /**
   * The source a request names, active and enabled (404 otherwise); how to refuse a request to it (counted, logged, and
   * recorded in the source's refusal log for its tenant to see); and how to run what opens its sealed values, where one no
   * configured key opens makes the provider retry later (503).
   */
  private async activeSource(sourceId: string, request: RefusedRequest) {
    const found = isId('source', sourceId) ? await this.catalog.source(sourceId) : null;
    if (!found || found.state.status !== 'active' || !found.state.settings.enabled) {
      this.count('unknown', 'not_found');
      throw new ProblemError('not_found', 'source not found');
    }
    const { tenantId, state: { settings } } = found;
    const refuse = (outcome: string, reason: string, problem: ProblemError): never => {
      this.count(sourceId, outcome);
      this.log.warn({ source_id: sourceId, tenant_id: tenantId, outcome, reason }, 'webhook refused by HTTP source');
      this.refusals.record(tenantId, sourceId, settings.verification, request, { status: httpStatusOf(problem.kind), outcome, reason, detail: problem.message });
      throw problem;
    };
    const unsealing = <T>(run: () => T): T => {
      try {
        return run();
      } catch (err) {
        if (!(err instanceof SecretSealingError)) throw err;
        this.log.error({ err, source_id: sourceId, tenant_id: tenantId }, 'HTTP source secret cannot be opened (sealed under a key no longer configured?)');
        return refuse('unverifiable', 'secret_unopenable', new ProblemError('unavailable', 'the source cannot check signatures now; retry later', [], {}, { 'retry-after': '60' }));
      }
    };
    return { tenantId, settings, refuse, unsealing };
  }

  private count(sourceId: string, outcome: string): void {
    this.outcomes.inc({ source: sourceId === 'unknown' ? sourceId : this.sourceLabel(sourceId), outcome });
  }
}

/**
 * The message's idempotency key: the provider's value for this webhook (a header, or a field of the body) under the
 * source's id, so two sources (or a source and POST /messages) never share one. No value: every request is new.
 */
export function idempotencyKeyOf(sourceId: string, idempotency: SourceIdempotencyV1, body: unknown, header: (name: string) => string | undefined): string | undefined {
  if (idempotency === null) return undefined;
  const raw = idempotency.from === 'header' ? header(idempotency.header) : valueAt(body, idempotency.path);
  const value = typeof raw === 'number' ? String(raw) : raw;
  if (typeof value !== 'string' || value === '') return undefined;
  return sourceIdempotencyKey(sourceId, value);
}

/** A 429 the provider retries after the seconds its bucket needs (RFC 9110 Retry-After, RFC 6585). */
function rateLimitedProblem(limit: SourceRateLimitV1, retryAfterSeconds: number): ProblemError {
  return new ProblemError('rate_limited', `this source takes at most ${limit.per_second} webhooks a second (${limit.burst} at once); retry after ${retryAfterSeconds} s`,
    [], { retry_after_seconds: retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });
}

const noSecret = (): string => {
  throw new Error('the Graph handshake needs no secret');
};

/** The body as parsed JSON, or null when it is not JSON. */
function parsedJson(body: Buffer): { value: unknown } | null {
  try {
    return { value: JSON.parse(body.toString('utf8')) };
  } catch {
    return null;
  }
}

