import { ApiKeyEntity } from './api-key.entity';
import { AttemptEntity } from './attempt.entity';
import { AuditEntryEntity } from './audit-entry.entity';
import { DeadLetterEntity } from './dead-letter.entity';
import { DeliveryEntity } from './delivery.entity';
import { EndpointHealthEntity } from './endpoint-health.entity';
import { EndpointEntity } from './endpoint.entity';
import { EventTypeEntity, EventTypeSchemaEntity } from './event-type.entity';
import { MessageEntity } from './message.entity';
import { ConfigStateEntity, ProjectionOffsetEntity } from './projection-offset.entity';
import { SourceRefusedRequestEntity } from './source-refused-request.entity';
import { SourceEntity } from './source.entity';
import { TenantEntity } from './tenant.entity';

export {
  ApiKeyEntity, AttemptEntity, AuditEntryEntity, DeadLetterEntity, DeliveryEntity, EndpointHealthEntity, EndpointEntity,
  EventTypeEntity, EventTypeSchemaEntity, MessageEntity, ConfigStateEntity, ProjectionOffsetEntity, SourceEntity, SourceRefusedRequestEntity,
  TenantEntity,
};

export const READ_MODEL_ENTITIES = [
  ApiKeyEntity, AttemptEntity, AuditEntryEntity, DeadLetterEntity, DeliveryEntity, EndpointHealthEntity, EndpointEntity,
  EventTypeEntity, EventTypeSchemaEntity, MessageEntity, ConfigStateEntity, ProjectionOffsetEntity, SourceEntity, SourceRefusedRequestEntity,
  TenantEntity,
];

/** Every read-model table, in an order a full dump or copy can follow. */
export const READ_MODEL_TABLES = [
  'projection_offsets', 'config_states', 'tenants', 'api_keys', 'endpoints', 'endpoint_health', 'event_types',
  'event_type_schemas', 'sources', 'source_refused_requests', 'messages', 'deliveries', 'attempts', 'dead_letters', 'audit_log',
] as const;
