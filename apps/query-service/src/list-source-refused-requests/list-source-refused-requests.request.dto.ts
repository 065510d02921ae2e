import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { ID_PATTERNS, ListRequest } from '../shared/list-request.dto';

export const REFUSAL_OUTCOMES = ['unauthenticated', 'forbidden', 'method_not_allowed', 'not_json', 'rejected', 'unverifiable', 'no_event_type', 'no_payload'] as const;

export class ListSourceRefusedRequestsRequest extends ListRequest {
  @ApiProperty({ description: 'The HTTP source.', pattern: ID_PATTERNS.source.source })
  @Matches(ID_PATTERNS.source, { message: 'source_id must be a source id (src_…)' })
  source_id!: string;

  @ApiPropertyOptional({ description: 'Only refusals of this kind.', enum: REFUSAL_OUTCOMES })
  @IsOptional() @IsIn(REFUSAL_OUTCOMES, { message: `outcome must be one of ${REFUSAL_OUTCOMES.join(', ')}` })
  outcome?: string;
}
