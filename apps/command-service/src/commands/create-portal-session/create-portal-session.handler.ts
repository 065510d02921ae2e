import { Inject, Injectable } from '@nestjs/common';
import { mintApiKey } from '@hookline/auth';
import { newId } from '@hookline/contracts';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../../auth/auth-context';
import { API_KEY, TENANT } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore, WriteResult } from '../../infrastructure/aggregates/aggregate-store';
import type { CommandConfig } from '../../infrastructure/infrastructure';
import { RequestContext, commandMeta } from '../../shared/request-context';
import { COMMAND_CONFIG } from '../../shared/tokens';
import { CreatePortalSessionRequest } from './create-portal-session.request.dto';

const DEFAULT_SECONDS = 3600;

export interface CreatedPortalSession extends WriteResult {
  /** The session's key id: revoke it (DELETE /v1/api-keys/{id}) to end the session at once. */
  id: string;
  /** The bearer token the portal uses, shown once (it is in `url` too). */
  token: string;
  /** The link to hand the tenant's user: the portal page, with the token in its fragment (never sent to a server). */
  url: string;
  tenant_id: string;
  expires_at: string;
  read_only: boolean;
}

/**
 * Opens a portal session for a tenant's own users: a key of the tenant that may only manage its endpoints and resend
 * their messages (or, `read_only`, only look), and that expires. Asked for by the platform (an admin key, or the
 * tenant's key) when its user opens the webhook settings in the platform's product.
 */
@Injectable()
export class CreatePortalSessionHandler {
  constructor(
    @Inject(AggregateStore) private readonly store: AggregateStore,
    @Inject(COMMAND_CONFIG) private readonly config: CommandConfig,
  ) {}

  async execute(ctx: RequestContext, tenantIdParam: string, input: CreatePortalSessionRequest): Promise<CreatedPortalSession> {
    const tenantId = requireTenant(ctx.auth, tenantIdParam);
    const seconds = input.expires_in_seconds ?? Math.min(DEFAULT_SECONDS, this.config.PORTAL_SESSION_MAX_SECONDS);
    if (seconds > this.config.PORTAL_SESSION_MAX_SECONDS) {
      throw new ProblemError('validation', `a portal session lasts at most ${this.config.PORTAL_SESSION_MAX_SECONDS} s here`, [
        { pointer: '/expires_in_seconds', detail: `at most ${this.config.PORTAL_SESSION_MAX_SECONDS} (PORTAL_SESSION_MAX_SECONDS)` },
      ]);
    }
    const tenantActive = (await this.store.load(TENANT, { tenantId, aggregateId: tenantId })).status === 'active';
    const key = mintApiKey();
    const keyId = newId('apiKey');
    const expiresAt = new Date(Date.now() + seconds * 1000).toISOString();
    return this.store.respond(
      API_KEY,
      { tenantId, aggregateId: keyId },
      {
        type: 'CreateApiKey',
        tenantActive,
        data: {
          key_id: keyId,
          scope: 'portal',
          tenant_id: tenantId,
          name: input.name ?? 'portal session',
          key_hash: key.hash,
          key_prefix: key.prefix,
          ip_allowlist: [],
          rate_limit_per_second: this.config.PORTAL_SESSION_RATE_LIMIT_PER_SECOND || null,
          expires_at: expiresAt,
          ...(input.read_only ? { read_only: true } : {}),
        },
      },
      commandMeta(ctx),
      () => ({ id: keyId, token: key.secret, url: `${this.portalUrl()}#token=${encodeURIComponent(key.secret)}`, tenant_id: tenantId, expires_at: expiresAt,
        read_only: input.read_only ?? false }),
    );
  }

  private portalUrl(): string {
    return (this.config.PORTAL_URL || `http://127.0.0.1:${this.config.PORT}/portal`).replace(/\/+$/, '');
  }
}
