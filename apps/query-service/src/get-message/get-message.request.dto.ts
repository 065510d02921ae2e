import { Matches } from 'class-validator';
import { ID_PATTERNS, ScopedRequest } from '../shared/list-request.dto';

export class GetMessageRequest extends ScopedRequest {
  @Matches(ID_PATTERNS.message, { message: 'message_id must be a message id (msg_…)' })
  message_id!: string;
}
