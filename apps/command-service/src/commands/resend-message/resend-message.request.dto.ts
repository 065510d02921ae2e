import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ResendMessageRequest {
  @ApiProperty({ description: 'The endpoint to send the message to again' })
  @IsString()
  @Length(1, 64)
  endpoint_id!: string;
}
