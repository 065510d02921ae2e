import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** Longest grace period one rotation may give the previous secrets. */
export const MAX_GRACE_SECONDS = 30 * 24 * 3600;

/** Every field is optional: a rotation without a body generates a secret of the current kind, with the deployment's grace period. */
export class RotateEndpointSecretRequest {
  @ApiPropertyOptional({ description: 'Bring your own whsec_ secret instead of a generated one (HMAC only), e.g. one your receiver already holds' })
  @IsOptional()
  @IsString()
  @Length(10, 200)
  secret?: string;

  @ApiPropertyOptional({
    enum: ['hmac', 'ed25519'],
    description: 'Scheme of the new secret (default: that of the newest current one). Rotating to the other scheme moves the endpoint to it: ' +
      'webhooks carry both signatures until the previous secrets expire.',
  })
  @IsOptional()
  @IsIn(['hmac', 'ed25519'])
  signing?: 'hmac' | 'ed25519';

  @ApiPropertyOptional({
    minimum: 0, maximum: MAX_GRACE_SECONDS,
    description: 'How long the previous secrets keep signing, in seconds (default: SECRET_ROTATION_GRACE_HOURS). 0 retires them at once, ' +
      'as after a leak.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_GRACE_SECONDS)
  previous_secrets_expire_in_seconds?: number;
}
