import { Inject, Injectable } from '@nestjs/common';
import { EndpointId, MessageId, encodePosition, messageKey, newId } from '@hookline/contracts';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../../auth/auth-context';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { checkIdempotencyKey } from '../../infrastructure/idempotency/idempotency-key';
import { IdempotencyStore } from '../../infrastructure/idempotency/idempotency-store';
import { MessageAppender } from '../../infrastructure/kafka/message-appender';
import { SchemaRegistry } from '../../infrastructure/schemas/schema-registry';
import { requirePayloadWithinLimit } from '../../shared/field-checks';
import { RequestContext, requestEnvelope } from '../../shared/request-context';
import { requireActiveTenant } from '../../shared/tenant-checks';
import { COMMAND_CONFIG } from '../../shared/tokens';
import { PublishMessageRequest } from './publish-message.request.dto';

export interface PublishedMessage {
  id: string;
  event_type: string;
  timestamp: string;
  position: string;
}

export interface PublishConfig {
  MAX_PAYLOAD_BYTES: number;
}

/**
 * Publishes a message: validates it against its event type's current schema, then appends it to the messages
 * topic. The answer (202) means Kafka acknowledged it. With an Idempotency-Key, a retry gets the same answer and
 * no second event.
 */
@Injectable()
export class PublishMessageHandler {
  constructor(
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
    @Inject(MessageAppender) private readonly appender: MessageAppender,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
    @Inject(COMMAND_CONFIG) private readonly config: PublishConfig,
  ) {}

  /** `fieldKey`: gRPC's `idempotency_key` field, taken over the request's Idempotency-Key (header or metadata). */
  async execute(ctx: RequestContext, tenantParam: string, input: PublishMessageRequest, fieldKey?: string): Promise<PublishedMessage> {
    const idempotencyKey = fieldKey ? checkIdempotencyKey(fieldKey) : ctx.idempotency?.key;
    const tenantId = requireTenant(ctx.auth, tenantParam);
    await requireActiveTenant(this.catalog, tenantId);
    requirePayloadWithinLimit(input.payload, this.config.MAX_PAYLOAD_BYTES);
    const eventType = await this.catalog.eventType(tenantId, input.event_type);
    if (eventType.status !== 'active') {
      throw new ProblemError('unknown_reference', `event type "${input.event_type}" does not exist; create it first`, [{ pointer: '/event_type', detail: 'unknown event type' }]);
    }
    if (eventType.sunsetAt && Date.parse(eventType.sunsetAt) <= Date.now()) {
      throw new ProblemError('unknown_reference', `event type "${input.event_type}" was sunset at ${eventType.sunsetAt}`, [{ pointer: '/event_type', detail: 'sunset' }]);
    }
    const { version, problems } = this.schemas.validate(tenantId, eventType, input.payload);
    if (problems.length) throw new ProblemError('validation', `payload does not match the schema of "${input.event_type}" (version ${version})`, problems);
    if (input.endpoint_ids) await this.requireEndpoints(tenantId, input.endpoint_ids);
    const endpointIds = input.endpoint_ids ? [...new Set(input.endpoint_ids)] : undefined;
    const tags = input.tags?.length ? [...new Set(input.tags)] : undefined;

    // The body alone is what was asked (not the transport's form of it), so a retry over gRPC of a REST request is the same request.
    const request = idempotencyKey ? { scope: tenantId, key: idempotencyKey, asked: input, onReplay: ctx.markReplayed } : undefined;
    return this.idempotency.once(request, newId('message'), async (id) => {
      const messageId = id as MessageId;
      const event = requestEnvelope(ctx, tenantId, {
        type: 'message.published.v1',
        data: {
          message_id: messageId,
          event_type: input.event_type,
          event_type_version: version,
          payload: input.payload,
          channels: input.channels ?? [],
          idempotency_key: idempotencyKey ?? null,
          ordering_key: input.ordering_key ?? null,
          // Only when set, so messages for every endpoint still match copies of the schema from before the field.
          ...(endpointIds ? { endpoint_ids: endpointIds as EndpointId[] } : {}),
          ...(tags ? { tags } : {}),
        },
      });
      const position = await this.appender.append(event, messageKey(tenantId, input.ordering_key), ctx.trace);
      return { id: messageId, event_type: input.event_type, timestamp: event.occurred_at, position: encodePosition([position]) };
    });
  }

  /** Every named endpoint must be the tenant's and not deleted: a typo would otherwise send the message nowhere. */
  private async requireEndpoints(tenantId: string, endpointIds: string[]): Promise<void> {
    const states = await Promise.all(endpointIds.map((id) => this.catalog.endpoint(tenantId, id)));
    const problems = endpointIds.flatMap((id, i) => (states[i].status === 'active' ? [] : [{ pointer: `/endpoint_ids/${i}`, detail: `endpoint ${id} does not exist` }]));
    if (problems.length) throw new ProblemError('unknown_reference', 'the message names endpoints that do not exist', problems);
  }
}
