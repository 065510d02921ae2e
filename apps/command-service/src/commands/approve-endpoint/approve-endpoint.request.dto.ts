import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsOptional, IsString } from 'class-validator';

export class ApproveEndpointRequest {
  @ApiPropertyOptional({
    type: [String],
    description: 'On an endpoint of every event type: approve only these types needing approval, declined ones included '
      + '(which lifts their decline); omitted: every type it awaits approval for, but not declined ones',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsString({ each: true })
  event_types?: string[];
}
