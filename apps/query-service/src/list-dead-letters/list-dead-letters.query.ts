import { Injectable } from '@nestjs/common';
import { CallerInfo } from '../auth/authenticator';
import { DeadLetterEntity } from '../database/read-model/entities';
import { Page } from '../shared/cursor';
import { keysetPage, listOfTenant } from '../shared/keyset-list';
import { QueryRuntime } from '../shared/query-runtime';
import { iso } from '../shared/views';
import { ListDeadLettersRequest } from './list-dead-letters.request.dto';

export function deadLetterView(d: DeadLetterEntity) {
  return { delivery_id: d.delivery_id, message_id: d.message_id, endpoint_id: d.endpoint_id, event_type: d.event_type, attempts: d.attempts,
    last_error: d.last_error, cause: d.cause, payload: d.payload ?? null, channels: d.channels, message_published_at: iso(d.message_published_at)!,
    created_at: iso(d.created_at)! };
}
export type DeadLetterView = ReturnType<typeof deadLetterView>;

/** Dead-lettered deliveries, newest first, with why (`cause`) and the payload needed to redrive them. */
@Injectable()
export class ListDeadLettersQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  execute(caller: CallerInfo, request: ListDeadLettersRequest): Promise<Page<DeadLetterView>> {
    return listOfTenant(this.runtime, caller, request, (em, window) => keysetPage(em, window, {
      entity: DeadLetterEntity, alias: 'x', idColumn: 'delivery_id',
      filter: (qb) => {
        if (request.endpoint_id) qb.andWhere('x.endpoint_id = :endpointId', { endpointId: request.endpoint_id });
        if (request.event_type) qb.andWhere('x.event_type = :eventType', { eventType: request.event_type });
      },
      view: (rows) => rows.map(deadLetterView),
    }));
  }
}
