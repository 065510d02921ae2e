import { Inject, Injectable } from '@nestjs/common';
import { ApiKeyId, isId } from '@hookline/contracts';
import { ProblemError } from '@hookline/service-kit';
import { Authenticator } from '../../auth/authenticator';
import { API_KEY, NO_TENANT } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore, WriteResult } from '../../infrastructure/aggregates/aggregate-store';
import { RequestContext, commandMeta } from '../../shared/request-context';

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
    // Forgotten once the revocation has committed (not inside its transaction, where a reader could cache the key again).
    let revokedHash: string | undefined;
    const answer = await this.store.respond(API_KEY, { tenantId, aggregateId: keyId }, { type: 'RevokeApiKey', data: { key_id: keyId as ApiKeyId } }, commandMeta(ctx), (result) => {
      revokedHash = result.state.keyHash;
      return { id: keyId };
    });
    if (revokedHash) this.authenticator.forget(revokedHash);
    return answer;
  }

  private async tenantOfKey(keyId: string): Promise<string | null> {
    const admin = await this.store.load(API_KEY, { tenantId: NO_TENANT, aggregateId: keyId });
    if (admin.status !== 'absent') return NO_TENANT;
    const state = await this.store.findByAggregateId(API_KEY, keyId);
    return state ? (state.tenantId ?? NO_TENANT) : null;
  }
}
