import { Inject, Injectable } from '@nestjs/common';
import { requireTenant } from '../../auth/auth-context';
import { EVENT_TYPE } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore, WriteResult } from '../../infrastructure/aggregates/aggregate-store';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { SchemaRegistry } from '../../infrastructure/schemas/schema-registry';
import { requireValidSchema } from '../../shared/event-type-checks';
import { RequestContext, commandMeta } from '../../shared/request-context';
import { requireActiveTenant } from '../../shared/tenant-checks';
import { CreateEventTypeRequest } from './create-event-type.request.dto';

/** Adds an event type to a tenant's catalog, optionally with the JSON Schema its payloads must follow. */
@Injectable()
export class CreateEventTypeHandler {
  constructor(
    @Inject(AggregateStore) private readonly store: AggregateStore,
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, input: CreateEventTypeRequest): Promise<WriteResult & { name: string; schema_version: number | null }> {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    await requireActiveTenant(this.catalog, tenantId);
    if (input.schema) requireValidSchema(this.schemas, input.schema);
    const answer = await this.store.respond(
      EVENT_TYPE,
      { tenantId, aggregateId: input.name },
      {
        type: 'CreateEventType',
        data: { name: input.name, description: input.description ?? '', schema: input.schema ?? null, requires_approval: input.requires_approval ?? false },
      },
      commandMeta(ctx),
      () => ({ name: input.name, schema_version: input.schema ? 1 : null }),
    );
    this.catalog.invalidate(EVENT_TYPE.kind, tenantId, input.name);
    return answer;
  }
}
