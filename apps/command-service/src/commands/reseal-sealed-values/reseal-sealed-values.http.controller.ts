import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { ResealSealedValuesHandler } from './reseal-sealed-values.handler';

@ApiTags('sealing-key')
@ApiBearerAuth()
@Controller('v1/sealing-key')
export class ResealSealedValuesHttpController {
  constructor(@Inject(ResealSealedValuesHandler) private readonly handler: ResealSealedValuesHandler) {}

  @Post('reseal')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Seal every endpoint value and HTTP source secret a previous SECRETS_ENCRYPTION_KEY sealed again under the current key (admin key)',
  })
  reseal(@Req() req: Request, @Caller() auth: AuthContext) {
    return this.handler.execute(httpContext(req, auth));
  }
}
