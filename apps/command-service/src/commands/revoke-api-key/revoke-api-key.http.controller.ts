import { Controller, Delete, Inject, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { RevokeApiKeyHandler } from './revoke-api-key.handler';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class RevokeApiKeyHttpController {
  constructor(@Inject(RevokeApiKeyHandler) private readonly handler: RevokeApiKeyHandler) {}

  @Delete(':keyId')
  revoke(@Req() req: Request, @Caller() auth: AuthContext, @Param('keyId') keyId: string) {
    return this.handler.execute(httpContext(req, auth), keyId);
  }
}
