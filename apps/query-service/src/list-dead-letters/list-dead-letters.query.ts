import { Injectable } from '@nestjs/common';
import { CallerInfo } from '../auth/authenticator';
import { DeadLetterEntity } from '../database/read-model/entities';
import { Page, decodeCursor, toPage } from '../shared/cursor';
import { DEFAULT_LIMIT } from '../shared/list-request.dto';
import { QueryRuntime } from '../shared/query-runtime';
import { checkTimeRange } from '../shared/time-range';
import { iso } from '../shared/views';
import { ListDeadLettersRequest } from './list-dead-letters.request.dto';

export function deadLetterView(d: DeadLetterEntity) {
  return { delivery_id: d.delivery_id, message_id: d.message_id, endpoint_id: d.endpoint_id, event_type: d.event_type, attempts: d.attempts,
    last_error: d.last_error, payload: d.payload ?? null, channels: d.channels, message_published_at: iso(d.message_published_at)!,
    created_at: iso(d.created_at)! };
}
export type DeadLetterView = ReturnType<typeof deadLetterView>;

/** Deliveries that exhausted their retries, newest first, with the payload needed to redrive them. */
@Injectable()
export class ListDeadLettersQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  async execute(caller: CallerInfo, request: ListDeadLettersRequest): Promise<Page<DeadLetterView>> {
    checkTimeRange(request.since, request.until);
    const cursor = decodeCursor(request.cursor);
    const limit = request.limit ?? DEFAULT_LIMIT;
    const tenantId = await this.runtime.scope(caller, request);
    return this.runtime.models.read(async (em) => {
      const qb = em.getRepository(DeadLetterEntity).createQueryBuilder('x').where('x.tenant_id = :tenantId', { tenantId });
      if (request.endpoint_id) qb.andWhere('x.endpoint_id = :endpointId', { endpointId: request.endpoint_id });
      if (request.event_type) qb.andWhere('x.event_type = :eventType', { eventType: request.event_type });
      if (request.since) qb.andWhere('x.created_at >= :since', { since: request.since });
      if (request.until) qb.andWhere('x.created_at < :until', { until: request.until });
      if (cursor) qb.andWhere('(x.created_at, x.delivery_id) < (:at, :id)', { at: cursor.at, id: cursor.id });
      const rows = await qb.orderBy('x.created_at', 'DESC').addOrderBy('x.delivery_id', 'DESC').limit(limit + 1).getMany();
      return toPage(rows, limit, (x) => ({ at: x.created_at, id: x.delivery_id }), deadLetterView);
    });
  }
}
