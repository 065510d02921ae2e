import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
import { unstorableText } from '@hookline/service-kit';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 250;

/**
 * Free text that becomes a query parameter: Postgres refuses a NUL (U+0000) or a lone surrogate in text outright, which
 * surfaced as a 500, so such a filter is a 400 naming it.
 */
export const StorableText = () =>
  ValidateBy({
    name: 'storableText',
    validator: {
      validate: (value) => typeof value !== 'string' || unstorableText(value) === null,
      defaultMessage: (args) => `${args?.property} must not contain ${unstorableText(String(args?.value)) ?? 'text Postgres cannot store'}`,
    },
  });

export const ID_PATTERNS = {
  tenant: /^tnt_[0-9A-HJKMNP-TV-Z]{26}$/,
  message: /^msg_[0-9A-HJKMNP-TV-Z]{26}$/,
  endpoint: /^ep_[0-9A-HJKMNP-TV-Z]{26}$/,
  source: /^src_[0-9A-HJKMNP-TV-Z]{26}$/,
};

/** What a tenant id names, for the query parameter here and the path parameter (transport/openapi-path-parameters.ts). */
export const TENANT_ID_DESCRIPTION =
  'The tenant to read: required with the admin key; a tenant key reads only its own tenant (naming another answers 404).';

// The @Api… decorators only describe the parameters in the OpenAPI document; parseRequest checks them with the
// class-validator ones, for REST and gRPC alike. Every enum has an `enumName`: besides giving clients a named type, it is
// what keeps the values when @ApiQuery expands a DTO into parameters (@nestjs/swagger 11 drops an unnamed enum there).

/** What every query accepts: the tenant (admin keys only) and read-your-writes position. */
export class ScopedRequest {
  @ApiPropertyOptional({ description: TENANT_ID_DESCRIPTION, pattern: ID_PATTERNS.tenant.source })
  @IsOptional() @Matches(ID_PATTERNS.tenant, { message: 'tenant_id must be a tenant id (tnt_…)' })
  tenant_id?: string;

  @ApiPropertyOptional({
    description: 'Read-your-writes: the `position` a command API answer carried. The read waits until the read models have '
      + 'applied it (at most READ_WAIT_MAX_MS), else answers 503 with Retry-After.',
  })
  @IsOptional() @IsString()
  position?: string;
}

/** What every list accepts besides its own filters: page size, cursor and a time range on created_at. */
export class ListRequest extends ScopedRequest {
  @ApiPropertyOptional({ description: 'Page size.', type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be an integer' }) @Min(1) @Max(MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next_cursor` of the previous page, unchanged (lists are newest first).' })
  @IsOptional() @IsString()
  cursor?: string;

  @ApiPropertyOptional({ description: 'Only rows created at or after this instant.', format: 'date-time' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 timestamp' })
  since?: string;

  @ApiPropertyOptional({ description: 'Only rows created before this instant.', format: 'date-time' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 timestamp' })
  until?: string;
}
