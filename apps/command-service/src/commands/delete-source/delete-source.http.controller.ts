import { Controller, Delete, HttpCode, Inject, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../../auth/auth-context';
import { Caller } from '../../auth/http-auth.guard';
import { httpContext } from '../../shared/transport';
import { DeleteSourceHandler } from './delete-source.handler';

@ApiTags('sources')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/sources')
export class DeleteSourceHttpController {
  constructor(@Inject(DeleteSourceHandler) private readonly handler: DeleteSourceHandler) {}

  @Delete(':sourceId')
  @HttpCode(204)
  async delete(@Req() req: Request, @Caller() auth: AuthContext, @Param('tenantId') tenantId: string, @Param('sourceId') sourceId: string): Promise<void> {
    await this.handler.execute(httpContext(req, auth), tenantId, sourceId);
  }
}
