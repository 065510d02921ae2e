import { Inject, Injectable } from '@nestjs/common';
import { examplePayload, typesNotApproved } from '@hookline/domain';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../../auth/auth-context';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { ENDPOINT } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore } from '../../infrastructure/aggregates/aggregate-store';
import { RequestContext } from '../../shared/request-context';
import { PublishMessageHandler, PublishedMessage } from '../publish-message/publish-message.handler';
import { SendTestMessageRequest } from './send-test-message.request.dto';

export interface SentTestMessage extends PublishedMessage {
  /** What was sent: the payload given, or the example made from the schema. */
  payload: Record<string, unknown>;
}

/**
 * Sends one message to one endpoint, for its owner to see what a webhook of a type looks like and check their
 * receiver (Svix's "send example"): a message like any other, published for that endpoint only, so it is signed,
 * retried, logged and listed as every message is. Refused when the endpoint would not take it: an event type it does
 * not receive, or an endpoint that is not enabled.
 */
@Injectable()
export class SendTestMessageHandler {
  constructor(
    @Inject(AggregateStore) private readonly store: AggregateStore,
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
    @Inject(PublishMessageHandler) private readonly publisher: PublishMessageHandler,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, endpointId: string, input: SendTestMessageRequest): Promise<SentTestMessage> {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    // From the write model, not the publish path's cache: the endpoint may have been created or changed a moment ago.
    const endpoint = await this.store.load(ENDPOINT, { tenantId, aggregateId: endpointId as never });
    if (endpoint.status !== 'active') throw new ProblemError('not_found', `endpoint ${endpointId} not found`);
    if (endpoint.deliveryStatus !== 'enabled') {
      throw new ProblemError('precondition_failed', `the endpoint is ${endpoint.deliveryStatus.replace('_', ' ')}: it would not get the message`);
    }
    const subscribed = endpoint.settings.event_types;
    if (subscribed && !subscribed.includes(input.event_type)) {
      throw new ProblemError('validation', `the endpoint does not receive "${input.event_type}"`, [
        { pointer: '/event_type', detail: `not one of the endpoint's event types (${subscribed.join(', ') || 'none'})` },
      ]);
    }
    const eventType = await this.catalog.eventType(tenantId, input.event_type);
    if (eventType.requiresApproval && typesNotApproved(endpoint, [input.event_type]).length) {
      throw new ProblemError('precondition_failed', `the endpoint is not approved for "${input.event_type}": approve it for that type first`);
    }
    const schema = eventType.schemas.length ? eventType.schemas[eventType.schemas.length - 1].schema : null;
    const payload = input.payload ?? (examplePayload(schema) as Record<string, unknown>);
    const published = await this.publisher.execute(ctx, tenantId, { event_type: input.event_type, payload, endpoint_ids: [endpointId] });
    return { ...published, payload };
  }
}
