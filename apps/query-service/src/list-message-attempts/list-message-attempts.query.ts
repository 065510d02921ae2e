import { Injectable } from '@nestjs/common';
import { ProblemError } from '@hookline/service-kit';
import { CallerInfo } from '../auth/authenticator';
import { MessageEntity } from '../database/read-model/entities';
import { attemptsPage } from '../shared/attempts-page';
import { Page, decodeCursor } from '../shared/cursor';
import { DEFAULT_LIMIT } from '../shared/list-request.dto';
import { QueryRuntime } from '../shared/query-runtime';
import { checkTimeRange } from '../shared/time-range';
import { AttemptView } from '../shared/views';
import { ListMessageAttemptsRequest } from './list-message-attempts.request.dto';

/** Every delivery attempt of one message (all endpoints, or one), newest first. */
@Injectable()
export class ListMessageAttemptsQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  async execute(caller: CallerInfo, request: ListMessageAttemptsRequest): Promise<Page<AttemptView>> {
    checkTimeRange(request.since, request.until);
    const cursor = decodeCursor(request.cursor);
    const tenantId = await this.runtime.scope(caller, request);
    return this.runtime.models.read(async (em) => {
      const exists = await em.getRepository(MessageEntity).existsBy({ tenant_id: tenantId, message_id: request.message_id });
      if (!exists) throw new ProblemError('not_found', `message ${request.message_id} not found`);
      return attemptsPage(em, { tenantId, messageId: request.message_id, endpointId: request.endpoint_id, since: request.since,
        until: request.until, cursor, limit: request.limit ?? DEFAULT_LIMIT });
    });
  }
}
