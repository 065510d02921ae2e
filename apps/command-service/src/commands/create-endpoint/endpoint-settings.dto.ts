import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsNumber, IsObject, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { KAFKA_SASL_MECHANISMS, type EndpointCircuitBreakerV1 } from '@hookline/contracts';
import { TRANSFORMATION_MAX_LENGTH } from '@hookline/transform';
import type { EndpointAuthInput } from '../../shared/endpoint-auth';
import { CIRCUIT_BREAKER_PROPERTIES } from '../../shared/endpoint-circuit-breaker';
import type { ClientCertificateInput } from '../../shared/endpoint-client-certificate';

/** Endpoint settings shared by create (where `url` is required) and update (where everything is optional). */
export class EndpointSettingsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string;

  @ApiPropertyOptional({ type: [String], nullable: true, description: 'Event types to receive; omitted on create, or null on update = all (those added later too); [] = none' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  event_types?: string[] | null;

  @ApiPropertyOptional({ type: [String], nullable: true, description: 'Only messages carrying one of these channels; omitted on create, or null on update = messages of any channel or none' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  channels?: string[] | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Payload filter, e.g. {"amount": {"$gt": 100}}' })
  @IsOptional()
  @IsObject()
  filter?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'Custom headers sent with every webhook' })
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;

  @ApiPropertyOptional({ description: 'Most webhooks per second sent to this endpoint' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  rate_limit_per_second?: number;

  @ApiPropertyOptional({ description: 'Most attempts in flight at once to this endpoint, across every dispatcher instance' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  max_in_flight?: number;

  @ApiPropertyOptional({ type: [Number], description: 'Seconds between attempts after the first, e.g. [5, 300, 1800]' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(7 * 24 * 3600, { each: true })
  retry_schedule_seconds?: number[];

  @ApiPropertyOptional({ description: 'Deliver strictly in order, one at a time' })
  @IsOptional()
  @IsBoolean()
  fifo?: boolean;

  @ApiPropertyOptional({
    nullable: true, minimum: 0, maximum: 8760,
    description: 'Hours of continuous failure after which the endpoint is disabled, instead of the deployment\'s AUTO_DISABLE_AFTER_HOURS ' +
      '(120); 0 never disables it for failing (a 410 Gone still does); null (update) goes back to the deployment\'s',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(8760)
  auto_disable_after_hours?: number | null;

  // Checked in circuitBreakerProblems (shallow DTO, as auth).
  @ApiPropertyOptional({
    type: 'object', nullable: true,
    description: 'The endpoint\'s own circuit-breaker thresholds; each left out is the deployment\'s BREAKER_* setting. An update '
      + 'replaces the whole object; null (update) goes back to the deployment\'s.',
    properties: CIRCUIT_BREAKER_PROPERTIES,
    additionalProperties: false,
  })
  @IsOptional()
  circuit_breaker?: EndpointCircuitBreakerV1 | null;

  // Parsed in settingsProblems, where transformationProblem also holds the length limit (one rule, one kind of answer).
  @ApiPropertyOptional({
    type: 'string', nullable: true, maxLength: TRANSFORMATION_MAX_LENGTH,
    description: 'A JSONata expression (https://jsonata.org) that turns the webhook body, `{ type, timestamp, data }`, into the body '
      + 'this endpoint gets instead, signed as sent; e.g. `{ "text": "Invoice " & data.id & " paid" }`. null removes it (update).',
    example: '{ "text": "Invoice " & data.id & " paid" }',
  })
  @IsOptional()
  @IsString()
  transformation?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, string>;

  // Checked field by field in endpointAuthProblems (this DTO is shallow: nested objects are kept as sent).
  @ApiPropertyOptional({
    nullable: true,
    description: 'How the dispatcher authenticates beyond the signature. For an https endpoint, OAuth 2.0 client credentials: every '
      + 'attempt carries `Authorization: Bearer <token>` from token_url. For a Kafka destination, SASL (kafka_sasl) to its brokers. '
      + 'For an AMQP destination, the user name and password it logs in to the broker with (amqp_plain; without it, '
      + 'guest/guest, or EXTERNAL when the endpoint has a client_certificate). '
      + 'null removes it (update). The client secret or password is sealed at once and never shown again.',
    oneOf: [
      {
        type: 'object',
        title: 'oauth2_client_credentials',
        properties: {
          type: { type: 'string', enum: ['oauth2_client_credentials'] },
          token_url: { type: 'string', example: 'https://auth.example.com/oauth/token' },
          client_id: { type: 'string' },
          client_secret: { type: 'string', writeOnly: true },
          scope: { type: 'string', nullable: true, example: 'webhooks:write' },
          audience: { type: 'string', nullable: true },
          client_auth: { type: 'string', enum: ['basic', 'body'], default: 'basic' },
        },
        required: ['type', 'token_url', 'client_id', 'client_secret'],
      },
      {
        type: 'object',
        title: 'kafka_sasl',
        properties: {
          type: { type: 'string', enum: ['kafka_sasl'] },
          mechanism: { type: 'string', enum: [...KAFKA_SASL_MECHANISMS] },
          username: { type: 'string', maxLength: 256 },
          password: { type: 'string', maxLength: 1024, writeOnly: true },
        },
        required: ['type', 'mechanism', 'username', 'password'],
      },
      {
        type: 'object',
        title: 'amqp_plain',
        properties: {
          type: { type: 'string', enum: ['amqp_plain'] },
          username: { type: 'string', maxLength: 256 },
          password: { type: 'string', maxLength: 1024, writeOnly: true },
        },
        required: ['type', 'username', 'password'],
      },
    ],
  })
  @IsOptional()
  auth?: EndpointAuthInput | null;

  // Checked in clientCertificateProblems (shallow DTO, as auth).
  @ApiPropertyOptional({
    type: 'object', nullable: true,
    description: 'Mutual TLS: the client certificate (PEM, then any intermediates) and its unencrypted PEM key, presented to an '
      + 'https endpoint that asks for one. null removes it (update). The key is sealed at once and never shown again.',
    properties: { cert: { type: 'string' }, key: { type: 'string', writeOnly: true } },
    required: ['cert', 'key'],
  })
  @IsOptional()
  client_certificate?: ClientCertificateInput | null;
}
