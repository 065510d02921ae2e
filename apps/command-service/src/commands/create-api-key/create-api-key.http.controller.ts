import { Body, Controller, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { CreateApiKeyHandler } from './create-api-key.handler';
import { CreateApiKeyRequest } from './create-api-key.request.dto';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class CreateApiKeyHttpController {
  constructor(@Inject(CreateApiKeyHandler) private readonly handler: CreateApiKeyHandler) {}

  @Post()
  create(@Req() req: Request, @Caller() auth: AuthContext, @Body() body: CreateApiKeyRequest) {
    return this.handler.execute(httpContext(req, auth), body);
  }
}
