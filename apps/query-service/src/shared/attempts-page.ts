import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { AttemptEntity } from '../database/read-model/entities';
import { AttemptListRequest } from './attempt-list-request.dto';
import { Page } from './cursor';
import { ListWindow, keysetPage } from './keyset-list';
import { AttemptView, attemptView } from './views';

/** Which attempts: of a message or an endpoint (or one message to one endpoint), narrowed by the request's filters. */
export interface AttemptsOf {
  messageId?: string;
  endpointId?: string;
  filters: Pick<AttemptListRequest, 'outcome' | 'status_code_class' | 'error_class' | 'trigger' | 'event_type'>;
}

/** A page of attempts (newest first) of a message or an endpoint, or of one message to one endpoint. */
export function attemptsPage(em: EntityManager, window: ListWindow, of: AttemptsOf): Promise<Page<AttemptView>> {
  return keysetPage(em, window, {
    entity: AttemptEntity, alias: 'a', idColumn: 'attempt_id',
    filter: (qb) => {
      if (of.messageId) qb.andWhere('a.message_id = :messageId', { messageId: of.messageId });
      if (of.endpointId) qb.andWhere('a.endpoint_id = :endpointId', { endpointId: of.endpointId });
      filterAttempts(qb, of.filters);
    },
    view: (rows) => rows.map(attemptView),
  });
}

/**
 * The filters as conditions on the attempts row. They narrow the scan of the message's or endpoint's attempts (newest
 * first, on their index), except failures: an endpoint's failed attempts come from attempts_endpoint_failed (migration
 * 0012), rare as they are on a healthy endpoint. A filter only a failure can match (an error class, a status outside
 * 2xx, no response) says so too, so the planner can take that index for it as well.
 */
function filterAttempts(qb: SelectQueryBuilder<AttemptEntity>, f: AttemptsOf['filters']): void {
  const failureOnly = f.outcome === 'failed' || Boolean(f.error_class) || (f.status_code_class !== undefined && f.status_code_class !== '2xx');
  if (f.outcome === 'succeeded') qb.andWhere('a.succeeded');
  // Spelled as the index's predicate, so the planner sees at once that the index holds every row wanted.
  else if (failureOnly) qb.andWhere('NOT a.succeeded');
  if (f.status_code_class === 'none') qb.andWhere('a.response_status IS NULL');
  else if (f.status_code_class) {
    const floor = Number(f.status_code_class[0]) * 100;
    qb.andWhere('a.response_status >= :floor AND a.response_status < :ceiling', { floor, ceiling: floor + 100 });
  }
  if (f.error_class) qb.andWhere('a.error_class = :errorClass', { errorClass: f.error_class });
  if (f.trigger) qb.andWhere('a.trigger = :trigger', { trigger: f.trigger });
  if (f.event_type) qb.andWhere('a.event_type = :eventType', { eventType: f.event_type });
}
