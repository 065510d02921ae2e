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
 * first, on their index) rather than pick rows from an index of their own: an attempt list is one message's or one
 * endpoint's, and `since`/`until` bound how far back a rare match is looked for.
 */
function filterAttempts(qb: SelectQueryBuilder<AttemptEntity>, f: AttemptsOf['filters']): void {
  if (f.outcome) qb.andWhere('a.succeeded = :succeeded', { succeeded: f.outcome === 'succeeded' });
  if (f.status_code_class === 'none') qb.andWhere('a.response_status IS NULL');
  else if (f.status_code_class) {
    const floor = Number(f.status_code_class[0]) * 100;
    qb.andWhere('a.response_status >= :floor AND a.response_status < :ceiling', { floor, ceiling: floor + 100 });
  }
  if (f.error_class) qb.andWhere('a.error_class = :errorClass', { errorClass: f.error_class });
  if (f.trigger) qb.andWhere('a.trigger = :trigger', { trigger: f.trigger });
  if (f.event_type) qb.andWhere('a.event_type = :eventType', { eventType: f.event_type });
}
