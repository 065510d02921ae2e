import { Injectable } from '@nestjs/common';
import { ProblemError } from '@hookline/service-kit';
import { CallerInfo } from '../auth/authenticator';
import { MessageEntity } from '../database/read-model/entities';
import { attemptsPage } from '../shared/attempts-page';
import { Page } from '../shared/cursor';
import { listOfTenant } from '../shared/keyset-list';
import { QueryRuntime } from '../shared/query-runtime';
import { AttemptView } from '../shared/views';
import { ListMessageAttemptsRequest } from './list-message-attempts.request.dto';

/** Every delivery attempt of one message (all endpoints, or one), newest first. */
@Injectable()
export class ListMessageAttemptsQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  execute(caller: CallerInfo, request: ListMessageAttemptsRequest): Promise<Page<AttemptView>> {
    return listOfTenant(this.runtime, caller, request, async (em, window) => {
      const exists = await em.getRepository(MessageEntity).existsBy({ tenant_id: window.tenantId, message_id: request.message_id });
      if (!exists) throw new ProblemError('not_found', `message ${request.message_id} not found`);
      return attemptsPage(em, window, { messageId: request.message_id, endpointId: request.endpoint_id, filters: request });
    });
  }
}
