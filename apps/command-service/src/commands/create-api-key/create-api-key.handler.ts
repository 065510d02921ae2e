import { Inject, Injectable } from '@nestjs/common';
import { mintApiKey, validateAllowlistEntry } from '@hookline/auth';
import { isId, newId } from '@hookline/contracts';
import { ProblemError } from '@hookline/service-kit';
import { requireAdmin, requireTenant } from '../../auth/auth-context';
import { API_KEY, NO_TENANT, TENANT } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore, WriteResult } from '../../infrastructure/aggregates/aggregate-store';
import { RequestContext, commandMeta } from '../../shared/request-context';
import { CreateApiKeyRequest } from './create-api-key.request.dto';

export interface CreatedApiKey extends WriteResult {
  id: string;
  /** The secret: shown here once, never again. */
  key: string;
  key_prefix: string;
  scope: 'admin' | 'tenant';
  tenant_id: string | null;
}

/** Creates an API key. Admin keys are created by admins; a tenant's key may create more keys for its tenant. */
@Injectable()
export class CreateApiKeyHandler {
  constructor(@Inject(AggregateStore) private readonly store: AggregateStore) {}

  async execute(ctx: RequestContext, input: CreateApiKeyRequest): Promise<CreatedApiKey> {
    if (input.scope === 'admin') requireAdmin(ctx.auth);
    else if (input.tenant_id) requireTenant(ctx.auth, input.tenant_id);
    // Dropping the tenant_id here would hand out an all-tenants key to a caller who named one tenant.
    if (input.scope === 'admin' && input.tenant_id) {
      throw new ProblemError('validation', 'an admin key is not bound to a tenant; use scope "tenant" for a key of one tenant', [
        { pointer: '/tenant_id', detail: 'not allowed with scope "admin"' },
      ]);
    }
    const problems = (input.ip_allowlist ?? [])
      .map((entry, i) => ({ pointer: `/ip_allowlist/${i}`, detail: validateAllowlistEntry(entry) }))
      .filter((p): p is { pointer: string; detail: string } => p.detail !== null);
    if (problems.length) throw new ProblemError('validation', 'invalid IP allowlist', problems);
    const tenantId = input.scope === 'tenant' ? (input.tenant_id ?? null) : null;
    if (input.scope === 'tenant' && tenantId && !isId('tenant', tenantId)) {
      throw new ProblemError('not_found', `tenant ${tenantId} not found`, [{ pointer: '/tenant_id', detail: 'no such tenant' }]);
    }
    const tenantActive = tenantId ? (await this.store.load(TENANT, { tenantId, aggregateId: tenantId })).status === 'active' : false;

    const key = mintApiKey();
    const keyId = newId('apiKey');
    return this.store.respond(
      API_KEY,
      { tenantId: tenantId ?? NO_TENANT, aggregateId: keyId },
      {
        type: 'CreateApiKey',
        tenantActive,
        data: {
          key_id: keyId,
          scope: input.scope,
          tenant_id: tenantId as never,
          name: input.name,
          key_hash: key.hash,
          key_prefix: key.prefix,
          ip_allowlist: input.ip_allowlist ?? [],
          rate_limit_per_second: input.rate_limit_per_second ?? null,
        },
      },
      commandMeta(ctx),
      () => ({ id: keyId, key: key.secret, key_prefix: key.prefix, scope: input.scope, tenant_id: tenantId }),
    );
  }
}
