import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ProblemError } from '@hookline/service-kit';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CommandConfig } from '../infrastructure/infrastructure';
import { COMMAND_CONFIG } from '../shared/tokens';
import { PortalPage, loadPortalPage } from './portal-page';

/**
 * Serves the consumer portal (public, like the API docs: the page holds nothing; what it shows comes from the API with
 * the session token of the link it was opened with). Platforms may embed it in an iframe of their own product.
 */
@ApiExcludeController()
@Controller('portal')
export class PortalPageController {
  private readonly page: PortalPage;

  constructor(@Inject(COMMAND_CONFIG) config: CommandConfig) {
    this.page = loadPortalPage(config.PORTAL_QUERY_URL, {
      title: config.PORTAL_TITLE, accentColor: config.PORTAL_ACCENT_COLOR || null, logoUrl: config.PORTAL_LOGO_URL || null,
      theme: config.PORTAL_THEME,
    });
  }

  @Get()
  index(@Res() res: Response): void {
    res.set({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': this.page.csp,
      // The link's fragment carries the token: never hand the page's address to another site.
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    res.send(this.page.html);
  }

  @Get(':asset')
  asset(@Param('asset') name: string, @Res() res: Response): void {
    const asset = this.page.assets.get(name);
    if (!asset) throw new ProblemError('not_found', `no portal file ${name}`);
    res.set({ 'content-type': asset.contentType, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' });
    res.send(asset.body);
  }
}
