import { Inject, Injectable } from '@nestjs/common';
import { requireTenant } from '../../auth/auth-context';
import { EVENT_TYPE } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore } from '../../infrastructure/aggregates/aggregate-store';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { RequestContext, commandMeta } from '../../shared/request-context';
import { UpdateEventTypeRequest } from './update-event-type.request.dto';

/** Changes an event type's description or approval requirement. */
@Injectable()
export class UpdateEventTypeHandler {
  constructor(
    @Inject(AggregateStore) private readonly store: AggregateStore,
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, name: string, input: UpdateEventTypeRequest) {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    const answer = await this.store.respond(EVENT_TYPE, { tenantId, aggregateId: name }, { type: 'UpdateEventType', data: { ...input } }, commandMeta(ctx), () => ({ name }));
    this.catalog.invalidate(EVENT_TYPE.kind, tenantId, name);
    return answer;
  }
}
