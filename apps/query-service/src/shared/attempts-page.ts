import { EntityManager } from 'typeorm';
import { AttemptEntity } from '../database/read-model/entities';
import { Cursor, Page, toPage } from './cursor';
import { AttemptView, attemptView } from './views';

export interface AttemptFilter {
  tenantId: string;
  messageId?: string;
  endpointId?: string;
  since?: string;
  until?: string;
  cursor: Cursor | null;
  limit: number;
}

/** A page of attempts (newest first) for a message or an endpoint; both use cases share the keyset query. */
export async function attemptsPage(em: EntityManager, f: AttemptFilter): Promise<Page<AttemptView>> {
  const qb = em.getRepository(AttemptEntity).createQueryBuilder('a').where('a.tenant_id = :tenantId', { tenantId: f.tenantId });
  if (f.messageId) qb.andWhere('a.message_id = :messageId', { messageId: f.messageId });
  if (f.endpointId) qb.andWhere('a.endpoint_id = :endpointId', { endpointId: f.endpointId });
  if (f.since) qb.andWhere('a.created_at >= :since', { since: f.since });
  if (f.until) qb.andWhere('a.created_at < :until', { until: f.until });
  if (f.cursor) qb.andWhere('(a.created_at, a.attempt_id) < (:at, :id)', { at: f.cursor.at, id: f.cursor.id });
  const rows = await qb.orderBy('a.created_at', 'DESC').addOrderBy('a.attempt_id', 'DESC').limit(f.limit + 1).getMany();
  return toPage(rows, f.limit, (a) => ({ at: a.created_at, id: a.attempt_id }), attemptView);
}
