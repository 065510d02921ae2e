import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthContext } from '../auth/auth-context';
import { Caller } from '../auth/http-auth.guard';
import type { CommandConfig } from '../infrastructure/infrastructure';
import { TENANT } from '../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore } from '../infrastructure/aggregates/aggregate-store';
import { COMMAND_CONFIG } from '../shared/tokens';

/** What a key may see of itself: the portal page asks it first, for its tenant, its expiry and the query service. */
export class PortalSessionView {
  key_id!: string;
  scope!: 'admin' | 'tenant' | 'portal';
  tenant_id!: string | null;
  tenant_name!: string | null;
  expires_at!: string | null;
  /** A view-only portal session: the page shows what there is and offers no change. */
  read_only!: boolean;
  /** Where browsers reach the query service (PORTAL_QUERY_URL). */
  query_url!: string;
}

@ApiTags('portal')
@ApiBearerAuth()
@Controller('v1/portal/session')
export class PortalSessionController {
  constructor(
    @Inject(AggregateStore) private readonly store: AggregateStore,
    @Inject(COMMAND_CONFIG) private readonly config: CommandConfig,
  ) {}

  /** The calling key: a portal session's, or any other (an admin key has no tenant). */
  @Get()
  @ApiOkResponse({ type: PortalSessionView })
  async describe(@Caller() auth: AuthContext): Promise<PortalSessionView> {
    const tenant = auth.tenantId ? await this.store.load(TENANT, { tenantId: auth.tenantId, aggregateId: auth.tenantId }) : null;
    return {
      key_id: auth.keyId,
      scope: auth.scope,
      tenant_id: auth.tenantId,
      tenant_name: tenant?.status === 'active' ? tenant.name : null,
      expires_at: auth.expiresAt,
      read_only: auth.readOnly ?? false,
      query_url: this.config.PORTAL_QUERY_URL.replace(/\/+$/, ''),
    };
  }
}
