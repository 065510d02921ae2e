import { EntityManager } from 'typeorm';
import { AttemptEntity } from '../database/read-model/entities';
import { Page } from './cursor';
import { ListWindow, keysetPage } from './keyset-list';
import { AttemptView, attemptView } from './views';

/** A page of attempts (newest first) of a message or an endpoint, or of one message to one endpoint. */
export function attemptsPage(em: EntityManager, window: ListWindow, of: { messageId?: string; endpointId?: string }): Promise<Page<AttemptView>> {
  return keysetPage(em, window, {
    entity: AttemptEntity, alias: 'a', idColumn: 'attempt_id',
    filter: (qb) => {
      if (of.messageId) qb.andWhere('a.message_id = :messageId', { messageId: of.messageId });
      if (of.endpointId) qb.andWhere('a.endpoint_id = :endpointId', { endpointId: of.endpointId });
    },
    view: (rows) => rows.map(attemptView),
  });
}
