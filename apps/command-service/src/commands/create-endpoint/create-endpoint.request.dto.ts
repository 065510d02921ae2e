import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ShallowDto } from '@hookline/service-kit';
import { EndpointSettingsDto } from './endpoint-settings.dto';

/** Validated as sent (see ShallowDto): its payload filter, headers and metadata must be kept exactly, keys named like `constructor` included. */
@ShallowDto()
export class CreateEndpointRequest extends EndpointSettingsDto {
  @ApiProperty({
    example: 'https://example.com/webhooks',
    description: 'An https URL each webhook is POSTed to; a Kafka topic each is produced to as a record: '
      + 'kafka+tls://host:port[,host:port…]/topic; or a RabbitMQ (AMQP 0-9-1) exchange each is published to as a persistent '
      + 'message, routed by routing_key or else by the event type: amqps://host[:port][/vhost]?exchange=name[&routing_key=key] '
      + '(credentials never in the URL: give them as amqp_plain auth). Plaintext kafka://, amqp:// and http:// only with ALLOW_HTTP_ENDPOINTS',
  })
  @IsString()
  @Length(1, 2048)
  url!: string;

  @ApiPropertyOptional({ enum: ['hmac', 'ed25519'], default: 'hmac' })
  @IsOptional()
  @IsIn(['hmac', 'ed25519'])
  signing?: 'hmac' | 'ed25519';

  @ApiPropertyOptional({ description: 'Bring your own whsec_ secret (e.g. when migrating from another provider)' })
  @IsOptional()
  @IsString()
  @Length(10, 200)
  secret?: string;

  @ApiPropertyOptional({ description: 'Create the endpoint disabled' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}
