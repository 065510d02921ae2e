import { Matches } from 'class-validator';
import { ID_PATTERNS, ScopedRequest } from '../shared/list-request.dto';

export class GetSourceRequest extends ScopedRequest {
  @Matches(ID_PATTERNS.source, { message: 'source_id must be a source id (src_…)' })
  source_id!: string;
}
