import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { DeliveryEntity, MessageEntity } from '../database/read-model/entities';
import { CallerInfo } from '../auth/authenticator';
import { Page } from '../shared/cursor';
import { keysetPage, listOfTenant } from '../shared/keyset-list';
import { QueryRuntime } from '../shared/query-runtime';
import { MessageView, messageView } from '../shared/views';
import { ListMessagesRequest } from './list-messages.request.dto';

/** Messages of a tenant, newest first, each with its per-endpoint delivery status. */
@Injectable()
export class ListMessagesQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  execute(caller: CallerInfo, request: ListMessagesRequest): Promise<Page<MessageView>> {
    return listOfTenant(this.runtime, caller, request, (em, window) => keysetPage(em, window, {
      entity: MessageEntity, alias: 'm', idColumn: 'message_id',
      filter: (qb) => {
        if (request.event_type) qb.andWhere('m.event_type = :eventType', { eventType: request.event_type });
        // Written so the partial GIN index messages_channels can serve it: `@>`, and its predicate spelled out.
        if (request.channel) qb.andWhere(`m.channels @> ARRAY[CAST(:channel AS text)] AND m.channels <> '{}'`, { channel: request.channel });
        // The same for the partial GIN index messages_tags.
        if (request.tag) qb.andWhere(`m.tags @> ARRAY[CAST(:tag AS text)] AND m.tags <> '{}'`, { tag: request.tag });
        if (request.status || request.endpoint_id) {
          qb.andWhere(`EXISTS (SELECT 1 FROM deliveries d WHERE d.tenant_id = m.tenant_id AND d.message_id = m.message_id
            AND (CAST(:status AS text) IS NULL OR d.status = :status) AND (CAST(:endpointId AS text) IS NULL OR d.endpoint_id = :endpointId))`,
          { status: request.status ?? null, endpointId: request.endpoint_id ?? null });
        }
      },
      view: async (rows, read) => {
        const ids = rows.map((m) => m.message_id);
        const deliveries = ids.length
          ? await read.getRepository(DeliveryEntity).find({ where: { tenant_id: window.tenantId, message_id: In(ids) }, order: { endpoint_id: 'ASC' } })
          : [];
        return rows.map((m) => messageView(m, deliveries));
      },
    }));
  }
}
