import { Inject, Injectable } from '@nestjs/common';
import { EndpointId, LogPosition, TenantId, encodePosition, furthestPositions, isId, newId } from '@hookline/contracts';
import { endpointWantsMessage } from '@hookline/domain';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../../auth/auth-context';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { IdempotencyStore } from '../../infrastructure/idempotency/idempotency-store';
import { MessageAppender } from '../../infrastructure/kafka/message-appender';
import { IndexedMessage, MessageIndex } from '../../infrastructure/message-index/message-index';
import { EndpointCommandRunner } from '../../shared/endpoint-command-runner';
import { RequestContext } from '../../shared/request-context';
import { resendKey, resendRequest } from '../../shared/redelivery-requests';
import { timeWindow } from '../../shared/time-window';
import { COMMAND_CONFIG } from '../../shared/tokens';
import { ReplayEndpointRequest } from './replay-endpoint.request.dto';

export interface ReplayConfig {
  REPLAY_PAGE_MESSAGES: number;
}

export interface ReplayAnswer {
  endpoint_id: string;
  /** Messages of the tenant looked at, and those the endpoint subscribes to, sent again. */
  scanned: number;
  replayed: number;
  /** Where to go on from (with the same until) when the window held more than one request looks at; null when done. */
  next_since: string | null;
  position: string | null;
}

/**
 * Sends an endpoint again every message of its tenant published in [since, until) that it subscribes to now (event
 * types, channels, payload filter) and that was not aimed at other endpoints only, whether it was delivered or not, or published before the endpoint existed: for
 * an endpoint that lost what it received, or a new one that needs the history (Svix's replay, Hookdeck's bulk retry).
 * Each goes as a resend (same webhook-id, so receivers dedupe); recover is for failed deliveries only.
 */
@Injectable()
export class ReplayEndpointHandler {
  constructor(
    @Inject(EndpointCommandRunner) private readonly endpoints: EndpointCommandRunner,
    @Inject(MessageIndex) private readonly messages: MessageIndex,
    @Inject(MessageAppender) private readonly appender: MessageAppender,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
    @Inject(COMMAND_CONFIG) private readonly config: ReplayConfig,
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, endpointId: string, input: ReplayEndpointRequest): Promise<ReplayAnswer> {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    const endpoint = isId('endpoint', endpointId) ? await this.endpoints.load(tenantId, endpointId) : null;
    if (!endpoint || endpoint.status !== 'active') throw new ProblemError('not_found', 'endpoint not found');
    if (endpoint.deliveryStatus !== 'enabled') {
      throw new ProblemError('precondition_failed', `endpoint is ${endpoint.deliveryStatus}: enable it before replaying to it`);
    }
    const { since, until } = timeWindow(input, 'replay');
    const request = ctx.idempotency && { ...ctx.idempotency, scope: tenantId, asked: { replay: endpointId, ...input } };
    return this.idempotency.once(request, newId('event'), async () => {
      const [{ page, nextSince }, gated] = await Promise.all([this.page(tenantId, since, until), this.catalog.typesNeedingApproval(tenantId)]);
      // A message aimed at other endpoints (endpoint_ids) is never replayed to this one, nor one whose content was expunged.
      const wanted = page.filter((m) => m.content_expunged_at === null && (m.endpoint_ids === null || m.endpoint_ids.includes(endpointId))
        && endpointWantsMessage(endpoint, m, gated.includes(m.event_type)));
      const positions = await Promise.all(wanted.map((m) => this.appendResend(ctx, tenantId, endpointId as EndpointId, m)));
      return {
        endpoint_id: endpointId, scanned: page.length, replayed: wanted.length,
        next_since: nextSince?.toISOString() ?? null, position: positions.length ? encodePosition(furthestPositions(positions)) : null,
      };
    });
  }

  /**
   * Up to REPLAY_PAGE_MESSAGES messages from `since`, cut before the instant of the first one left over, so that
   * everything before `nextSince` is in the page and nothing after it. Should a whole page share one instant, that
   * instant's messages all go in it.
   */
  private async page(tenantId: string, since: Date, until: Date): Promise<{ page: IndexedMessage[]; nextSince: Date | null }> {
    const limit = this.config.REPLAY_PAGE_MESSAGES;
    const rows = await this.messages.window(tenantId, since, until, limit + 1);
    if (rows.length <= limit) return { page: rows, nextSince: null };
    const boundary = rows[limit].published_at;
    const before = rows.filter((m) => m.published_at < boundary);
    if (before.length > 0) return { page: before, nextSince: new Date(boundary) };
    // Published at is kept to the millisecond: the next one after this instant is at least 1 ms later.
    const next = new Date(Date.parse(boundary) + 1);
    const all = await this.messages.window(tenantId, new Date(boundary), next, Number.MAX_SAFE_INTEGER);
    return { page: all, nextSince: next < until ? next : null };
  }

  private appendResend(ctx: RequestContext, tenantId: TenantId, endpointId: EndpointId, m: IndexedMessage): Promise<LogPosition> {
    return this.appender.append(resendRequest(ctx, tenantId, endpointId, m), resendKey(tenantId, m), ctx.trace);
  }
}
