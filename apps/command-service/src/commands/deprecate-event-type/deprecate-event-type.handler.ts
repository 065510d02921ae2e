import { Inject, Injectable } from '@nestjs/common';
import { requireTenant } from '../../auth/auth-context';
import { EVENT_TYPE } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore } from '../../infrastructure/aggregates/aggregate-store';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { RequestContext, commandMeta } from '../../shared/request-context';
import { DeprecateEventTypeRequest } from './deprecate-event-type.request.dto';

/** Marks an event type deprecated, optionally with a sunset date after which publishing it is refused. */
@Injectable()
export class DeprecateEventTypeHandler {
  constructor(
    @Inject(AggregateStore) private readonly store: AggregateStore,
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, name: string, input: DeprecateEventTypeRequest) {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    const sunsetAt = input.sunset_at ? new Date(input.sunset_at).toISOString() : null;
    const answer = await this.store.respond(EVENT_TYPE, { tenantId, aggregateId: name }, { type: 'DeprecateEventType', data: { sunset_at: sunsetAt } }, commandMeta(ctx), () => ({ name, sunset_at: sunsetAt }));
    this.catalog.invalidate(EVENT_TYPE.kind, tenantId, name);
    return answer;
  }
}
