import { Injectable } from '@nestjs/common';
import { ProblemError } from '@hookline/service-kit';
import { CallerInfo } from '../auth/authenticator';
import { DeliveryEntity, MessageEntity } from '../database/read-model/entities';
import { QueryRuntime } from '../shared/query-runtime';
import { MessageView, messageView } from '../shared/views';
import { GetMessageRequest } from './get-message.request.dto';

/** One message with its per-endpoint delivery status; another tenant's message is "not found", like a missing one. */
@Injectable()
export class GetMessageQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  async execute(caller: CallerInfo, request: GetMessageRequest): Promise<MessageView> {
    const tenantId = await this.runtime.scope(caller, request);
    return this.runtime.models.read(async (em) => {
      const message = await em.getRepository(MessageEntity).findOneBy({ tenant_id: tenantId, message_id: request.message_id });
      if (!message) throw new ProblemError('not_found', `message ${request.message_id} not found`);
      const deliveries = await em.getRepository(DeliveryEntity).find({ where: { tenant_id: tenantId, message_id: message.message_id },
        order: { endpoint_id: 'ASC' } });
      return messageView(message, deliveries);
    });
  }
}
