import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { DeliveryEntity, MessageEntity } from '../database/read-model/entities';
import { CallerInfo } from '../auth/authenticator';
import { Page, decodeCursor, toPage } from '../shared/cursor';
import { DEFAULT_LIMIT } from '../shared/list-request.dto';
import { QueryRuntime } from '../shared/query-runtime';
import { checkTimeRange } from '../shared/time-range';
import { MessageView, messageView } from '../shared/views';
import { ListMessagesRequest } from './list-messages.request.dto';

/** Messages of a tenant, newest first, each with its per-endpoint delivery status. */
@Injectable()
export class ListMessagesQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  async execute(caller: CallerInfo, request: ListMessagesRequest): Promise<Page<MessageView>> {
    checkTimeRange(request.since, request.until);
    const cursor = decodeCursor(request.cursor);
    const limit = request.limit ?? DEFAULT_LIMIT;
    const tenantId = await this.runtime.scope(caller, request);
    return this.runtime.models.read(async (em) => {
      const qb = em.getRepository(MessageEntity).createQueryBuilder('m').where('m.tenant_id = :tenantId', { tenantId });
      if (request.event_type) qb.andWhere('m.event_type = :eventType', { eventType: request.event_type });
      // Written so the partial GIN index messages_channels can serve it: `@>`, and its predicate spelled out.
      if (request.channel) qb.andWhere(`m.channels @> ARRAY[CAST(:channel AS text)] AND m.channels <> '{}'`, { channel: request.channel });
      if (request.since) qb.andWhere('m.created_at >= :since', { since: request.since });
      if (request.until) qb.andWhere('m.created_at < :until', { until: request.until });
      if (request.status || request.endpoint_id) {
        qb.andWhere(`EXISTS (SELECT 1 FROM deliveries d WHERE d.tenant_id = m.tenant_id AND d.message_id = m.message_id
          AND (CAST(:status AS text) IS NULL OR d.status = :status) AND (CAST(:endpointId AS text) IS NULL OR d.endpoint_id = :endpointId))`,
        { status: request.status ?? null, endpointId: request.endpoint_id ?? null });
      }
      if (cursor) qb.andWhere('(m.created_at, m.message_id) < (:at, :id)', { at: cursor.at, id: cursor.id });
      const rows = await qb.orderBy('m.created_at', 'DESC').addOrderBy('m.message_id', 'DESC').limit(limit + 1).getMany();
      const ids = rows.slice(0, limit).map((m) => m.message_id);
      const deliveries = ids.length
        ? await em.getRepository(DeliveryEntity).find({ where: { tenant_id: tenantId, message_id: In(ids) }, order: { endpoint_id: 'ASC' } })
        : [];
      return toPage(rows, limit, (m) => ({ at: m.created_at, id: m.message_id }), (m) => messageView(m, deliveries));
    });
  }
}
