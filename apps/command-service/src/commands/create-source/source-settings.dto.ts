import { ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsObject, IsOptional, IsString, Length } from 'class-validator';
import {
  SOURCE_HANDSHAKE_SCHEMA, SOURCE_IDEMPOTENCY_SCHEMA, SOURCE_RATE_LIMIT_SCHEMA, type SourceHandshakeInput, type SourceRateLimitInput,
} from '../../shared/source-input';

/** A JSON Schema of source-input.ts as the OpenAPI description of a property (its checks are that schema's). */
export const schemaProperty = (schema: object, more: Record<string, unknown> = {}): ApiPropertyOptions => ({ ...schema, ...more }) as ApiPropertyOptions;

/**
 * HTTP source settings shared by create and update (everything optional here). The nested objects are checked by
 * sourceInputProblems (JSON Schema), and the settings as a whole by the source decider.
 */
export class SourceSettingsDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string;

  @ApiPropertyOptional(schemaProperty(SOURCE_IDEMPOTENCY_SCHEMA, {
    nullable: true,
    description: 'What makes a provider\'s retry of one webhook the same message, published once within IDEMPOTENCY_TTL_HOURS: a header '
      + '(webhook-id, x-github-delivery) or a dot path of the JSON body (Stripe: id). Omitted or null: every request is a new message.',
    example: { from: 'header', header: 'x-github-delivery' },
  }))
  @IsOptional()
  @IsObject()
  idempotency?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    type: 'string', nullable: true, example: 'data.object',
    description: 'A dot path of the JSON body whose value (an object) is published as the payload; omitted or null: the whole body',
  })
  @IsOptional()
  @IsString()
  payload_field?: string | null;

  @ApiPropertyOptional({ type: [String], nullable: true, description: 'Channels every message of this source carries (endpoints filter on them)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  channels?: string[] | null;

  @ApiPropertyOptional({ default: true, description: 'A disabled source answers 404 like an unknown one, and publishes nothing' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional(schemaProperty(SOURCE_HANDSHAKE_SCHEMA, {
    nullable: true,
    description: 'The URL check the provider makes before it sends anything, answered by /ingest itself and never published: slack '
      + '(url_verification), zoom (endpoint.url_validation; needs verification zoom), meta (GET hub.challenge, with the verify_token '
      + 'typed in the app\'s settings, sealed at once) or microsoft_graph (validationToken). Omitted or null: none.',
    example: { type: 'slack' },
  }))
  @IsOptional()
  @IsObject()
  handshake?: SourceHandshakeInput | null;

  @ApiPropertyOptional(schemaProperty(SOURCE_RATE_LIMIT_SCHEMA, {
    nullable: true,
    description: 'The most webhooks the source takes, as a token bucket: burst at once, refilled at per_second (whole requests). '
      + 'Counted once a request verified; one over it is answered 429 with Retry-After and publishes nothing. Each instance of '
      + 'the command service holds its own bucket: with N behind a load balancer, up to N times this. Omitted or null: no limit.',
    example: { per_second: 10, burst: 50 },
  }))
  @IsOptional()
  @IsObject()
  rate_limit?: SourceRateLimitInput | null;
}
