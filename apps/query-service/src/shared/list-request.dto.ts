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

/** What every query accepts: the tenant (admin keys only) and read-your-writes position. */
export class ScopedRequest {
  @IsOptional() @Matches(/^tnt_[0-9A-HJKMNP-TV-Z]{26}$/, { message: 'tenant_id must be a tenant id (tnt_…)' })
  tenant_id?: string;

  @IsOptional() @IsString()
  position?: string;
}

/** What every list accepts besides its own filters: page size, cursor and a time range on created_at. */
export class ListRequest extends ScopedRequest {
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be an integer' }) @Min(1) @Max(MAX_LIMIT)
  limit?: number;

  @IsOptional() @IsString()
  cursor?: string;

  @IsOptional() @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 timestamp' })
  since?: string;

  @IsOptional() @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 timestamp' })
  until?: string;
}

export const ID_PATTERNS = {
  message: /^msg_[0-9A-HJKMNP-TV-Z]{26}$/,
  endpoint: /^ep_[0-9A-HJKMNP-TV-Z]{26}$/,
};
