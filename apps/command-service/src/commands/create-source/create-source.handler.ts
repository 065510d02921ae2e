import { Inject, Injectable } from '@nestjs/common';
import { SourceSettingsV1, newId } from '@hookline/contracts';
import { EMPTY_SOURCE_SETTINGS } from '@hookline/domain';
import { requireTenant } from '../../auth/auth-context';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { RequestContext } from '../../shared/request-context';
import { SourceAnswer, SourceCommands } from '../../shared/source-commands';
import { requireActiveTenant } from '../../shared/tenant-checks';
import { CreateSourceRequest } from './create-source.request.dto';

/**
 * Adds an HTTP source: a URL (`/ingest/{id}`) a provider POSTs its webhooks to, each checked against the source's
 * verification and published as a message of the tenant, through the rules of POST /messages.
 */
@Injectable()
export class CreateSourceHandler {
  constructor(
    @Inject(SourceCommands) private readonly sources: SourceCommands,
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
  ) {}

  /** `origin`: where the request was sent, for the ingest URL when PUBLIC_URL is not set (null: gRPC). */
  async execute(ctx: RequestContext, tenantParam: string, input: CreateSourceRequest, origin: string | null): Promise<SourceAnswer> {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    await requireActiveTenant(this.catalog, tenantId);
    const sourceId = newId('source');
    return this.sources.run(ctx, tenantId, sourceId, async () => {
      const settings: SourceSettingsV1 = { ...EMPTY_SOURCE_SETTINGS, ...(await this.sources.settingsOf(tenantId, input)) };
      return { type: 'CreateSource', data: { source_id: sourceId, settings } };
    }, origin);
  }
}
