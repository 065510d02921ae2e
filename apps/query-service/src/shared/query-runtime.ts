import { ProblemError } from '@hookline/service-kit';
import { Authenticator, CallerInfo, Principal, ReadScope } from '../auth/authenticator';
import { ReadModels } from '../database/read-models';
import { ScopedRequest } from './list-request.dto';
import { parsePosition, waitForPosition } from './position-wait';

/** What every query use case needs: the read models, the authenticator and the read-your-writes settings. */
export class QueryRuntime {
  constructor(
    readonly models: ReadModels,
    readonly auth: Authenticator,
    readonly topics: readonly string[],
    readonly consumerName: string,
    readonly readWaitMaxMs: number,
  ) {}

  /**
   * Authenticates, resolves the tenant the request is scoped to, and waits for `position` if one was passed. `readScope`
   * 'operator': the query reads the operator's configuration, which a portal session may not (see ReadScope).
   */
  async scope(caller: CallerInfo, request: ScopedRequest, readScope: ReadScope = 'tenant'): Promise<string> {
    return (await this.scopeOf(caller, request, readScope)).tenantId;
  }

  /** scope, also saying whether the caller is a portal session (for a list that shows it less of the operator's configuration). */
  async scopeOf(caller: CallerInfo, request: ScopedRequest, readScope: ReadScope = 'tenant'): Promise<{ tenantId: string; portal: boolean }> {
    const positions = parsePosition(request.position, this.topics);
    let principal: Principal;
    try {
      principal = await this.auth.authenticate(caller);
    } catch (err) {
      // A key created by the very command whose position is passed may not be projected yet: wait, then look again.
      if (!positions || !(err instanceof ProblemError) || err.kind !== 'unauthenticated' || !caller.authorization) throw err;
      await waitForPosition(this.models, this.consumerName, positions, this.readWaitMaxMs);
      principal = await this.auth.authenticate(caller);
    }
    const tenantId = this.auth.tenantOf(principal, request.tenant_id, readScope);
    await waitForPosition(this.models, this.consumerName, positions, this.readWaitMaxMs);
    return { tenantId, portal: principal.kind === 'tenant' && principal.portal === true };
  }
}
