import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class CreateApiKeyRequest {
  @ApiProperty({ example: 'billing-service' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ['admin', 'tenant'] })
  @IsIn(['admin', 'tenant'])
  scope!: 'admin' | 'tenant';

  @ApiPropertyOptional({ description: 'Required for tenant keys' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  tenant_id?: string;

  @ApiPropertyOptional({ type: [String], description: 'IP addresses or CIDR ranges allowed to use the key; empty = any' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  ip_allowlist?: string[];

  @ApiPropertyOptional({ description: 'Requests per second allowed with this key' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  rate_limit_per_second?: number;
}
