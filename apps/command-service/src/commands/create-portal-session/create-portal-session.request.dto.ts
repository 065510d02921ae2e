import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** The longest a DTO lets through; the deployment's PORTAL_SESSION_MAX_SECONDS (checked by the handler) may be lower. */
const CEILING_SECONDS = 90 * 24 * 3600;

export class CreatePortalSessionRequest {
  @ApiPropertyOptional({ description: 'How long the link works, in seconds (default 3600; at most PORTAL_SESSION_MAX_SECONDS, 7 days by default)', minimum: 60 })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(CEILING_SECONDS)
  expires_in_seconds?: number;

  @ApiPropertyOptional({ description: 'Who the session is for, as listed with the tenant\'s keys (default "portal session")', example: 'jane@customer.example' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ description: 'A view-only session: its user sees endpoints, messages and attempts, and can change nothing (default false)' })
  @IsOptional()
  @IsBoolean()
  read_only?: boolean;
}
