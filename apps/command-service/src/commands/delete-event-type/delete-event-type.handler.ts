import { Inject, Injectable } from '@nestjs/common';
import { requireTenant } from '../../auth/auth-context';
import { EVENT_TYPE } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore } from '../../infrastructure/aggregates/aggregate-store';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { RequestContext, commandMeta } from '../../shared/request-context';

/** Removes an event type from the catalog; publishing it is refused from then on. */
@Injectable()
export class DeleteEventTypeHandler {
  constructor(
    @Inject(AggregateStore) private readonly store: AggregateStore,
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, name: string) {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    const answer = await this.store.respond(EVENT_TYPE, { tenantId, aggregateId: name }, { type: 'DeleteEventType', data: {} }, commandMeta(ctx), () => ({ name }));
    this.catalog.invalidate(EVENT_TYPE.kind, tenantId, name);
    return answer;
  }
}
