import { Inject, Injectable } from '@nestjs/common';
import { ApiKeyId, isId } from '@hookline/contracts';
import { ProblemError } from '@hookline/service-kit';
import { Authenticator } from '../../auth/authenticator';
import { API_KEY, NO_TENANT } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore } from '../../infrastructure/aggregates/aggregate-store';
import { RequestContext, commandMeta } from '../../shared/request-context';
import { WriteResult, writeResult } from '../../shared/write-result';

/** Revokes a key: refused at once by this instance, and by every other instance within the authenticator's cache TTL (5 s). */
@Injectable()
export class RevokeApiKeyHandler {
  constructor(
    @Inject(AggregateStore) private readonly store: AggregateStore,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  async execute(ctx: RequestContext, keyId: string): Promise<WriteResult & { id: string }> {
    if (!isId('apiKey', keyId)) throw new ProblemError('not_found', 'API key not found');
    // A tenant key can only see keys of its own tenant; an admin can revoke any key.
    const tenantId = ctx.auth.scope === 'admin' ? await this.tenantOfKey(keyId) : ctx.auth.tenantId!;
    if (tenantId === null) throw new ProblemError('not_found', 'API key not found');
    const result = await this.store.execute(API_KEY, { tenantId, aggregateId: keyId }, { type: 'RevokeApiKey', data: { key_id: keyId as ApiKeyId } }, commandMeta(ctx));
    this.authenticator.forget(result.state.keyHash);
    return { id: keyId, ...writeResult(result) };
  }

  private async tenantOfKey(keyId: string): Promise<string | null> {
    const admin = await this.store.load(API_KEY, { tenantId: NO_TENANT, aggregateId: keyId });
    if (admin.status !== 'absent') return NO_TENANT;
    const state = await this.store.findByAggregateId(API_KEY, keyId);
    return state ? (state.tenantId ?? NO_TENANT) : null;
  }
}
