import { Inject, Injectable } from '@nestjs/common';
import { requireTenant } from '../../auth/auth-context';
import { EVENT_TYPE } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore } from '../../infrastructure/aggregates/aggregate-store';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { SchemaRegistry } from '../../infrastructure/schemas/schema-registry';
import { requireValidSchema } from '../../shared/event-type-checks';
import { RequestContext, commandMeta } from '../../shared/request-context';
import { PublishEventTypeSchemaRequest } from './publish-event-type-schema.request.dto';

/**
 * Publishes a new schema version. It must stay backward compatible with the current one (the answer lists
 * what breaks, each with its JSON pointer) unless `force` is set.
 */
@Injectable()
export class PublishEventTypeSchemaHandler {
  constructor(
    @Inject(AggregateStore) private readonly store: AggregateStore,
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, name: string, input: PublishEventTypeSchemaRequest) {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    requireValidSchema(this.schemas, input.schema);
    const answer = await this.store.respond(
      EVENT_TYPE,
      { tenantId, aggregateId: name },
      { type: 'PublishSchema', data: { schema: input.schema, force: input.force ?? false } },
      commandMeta(ctx),
      (result) => {
        const published = result.events[0]?.data as { version: number; breaking_changes: string[] } | undefined;
        return { name, schema_version: published?.version ?? null, breaking_changes: published?.breaking_changes ?? [] };
      },
    );
    this.catalog.invalidate(EVENT_TYPE.kind, tenantId, name);
    return answer;
  }
}
