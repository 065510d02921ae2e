import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { ScopedRequest } from '../shared/list-request.dto';
import type { StatsInterval } from './stats-window';

const INTERVALS: readonly StatsInterval[] = ['hour', 'day'];

/** The window of a statistics query (an endpoint's, the tenant's): its bucket size and bounds, checked alike for both. */
export class StatsWindowRequest extends ScopedRequest {
  @ApiPropertyOptional({ description: 'Bucket size: whole UTC hours (at most 168 in a window) or days (at most 90).', enum: INTERVALS, enumName: 'StatsInterval', default: 'hour' })
  @IsOptional() @IsIn(INTERVALS, { message: 'interval must be hour or day' })
  interval?: StatsInterval;

  @ApiPropertyOptional({ description: 'Start of the window, rounded down to a bucket; default: a day (hour) or 30 days (day) before until.', format: 'date-time' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 timestamp' })
  since?: string;

  @ApiPropertyOptional({ description: 'End of the window, rounded up to a bucket; default: now.', format: 'date-time' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 timestamp' })
  until?: string;
}
