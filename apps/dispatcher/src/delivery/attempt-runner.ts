import type { Logger } from '@hookline/observability';
import { KnownEndpoint, EndpointDirectory } from '../config-view/endpoint-directory';
import { FinishedDelivery, PendingDelivery, finishAttempt, startAttempt } from '../domain/delivery-lifecycle';
import { RetryPolicySettings, decideAfterAttempt, scheduleFor } from '../domain/retry-policy';
import { AttemptExecutor } from './attempt-executor';
import { DeliveryEventPublisher } from './delivery-event-publisher';
import { EndpointGate } from './endpoint-gate';
import { EndpointHealth } from './endpoint-health';

export interface AttemptRunnerDeps {
  executor: AttemptExecutor;
  gate: EndpointGate;
  events: DeliveryEventPublisher;
  endpoints: EndpointDirectory;
  health: EndpointHealth;
  retry: RetryPolicySettings;
  random: () => number;
  log: Logger;
  onAttempt?: (succeeded: boolean, trigger: string) => void;
}

export interface AttemptResult {
  finished: FinishedDelivery;
  /** Resolves when Kafka acknowledged the attempt (and dead-letter) events; rejects when it could not. */
  acknowledged: Promise<unknown>;
}

/**
 * One admitted attempt from start to decision, shared by the fast path and the retry worker: send, release the gate
 * slot, decide by the retry policy, act on 410 and prolonged failure, and append the events. Where the delivery is
 * kept afterwards (nowhere, a new row, an updated row) is the caller's business.
 */
export class AttemptRunner {
  constructor(private readonly deps: AttemptRunnerDeps) {}

  async run(pending: PendingDelivery, endpoint: KnownEndpoint, probe: boolean): Promise<AttemptResult> {
    const { deps } = this;
    const inFlight = startAttempt(pending, new Date());
    const record = await deps.executor.execute(inFlight, endpoint);
    const now = new Date();
    deps.gate.finish(pending.tenantId, pending.endpointId, record.succeeded, probe, now.getTime());
    const settings = { ...deps.retry, scheduleSeconds: scheduleFor(deps.retry.scheduleSeconds, endpoint.state.settings.retry_schedule_seconds) };
    const decision = decideAfterAttempt(record.outcome, inFlight.attempt, settings, now, deps.random);
    const finished = finishAttempt(inFlight, decision);
    deps.onAttempt?.(record.succeeded, inFlight.trigger);

    const effects: Array<Promise<unknown>> = [deps.events.attempted(inFlight, record, finished)];
    if (finished.stage === 'dead_lettered') effects.push(deps.events.deadLettered(finished));
    if (decision.kind === 'gone') effects.push(this.disable(endpoint, 'gone', `receiver answered 410 Gone at ${record.startedAt.toISOString()}`));
    if (record.succeeded) {
      effects.push(deps.health.succeeded(pending.endpointId));
    } else {
      effects.push(
        deps.health.failed(pending.tenantId, pending.endpointId, now, decision.kind === 'succeeded' ? '' : decision.reason).then((tooLong) =>
          tooLong ? this.disable(endpoint, 'failing', `failing continuously; last error: ${'reason' in decision ? decision.reason : ''}`) : undefined,
        ),
      );
    }
    return { finished, acknowledged: Promise.all(effects) };
  }

  /** Stops deliveries at once here and asks the command-service (via the operational topic) to disable it for good. */
  private async disable(endpoint: KnownEndpoint, reason: 'gone' | 'failing', detail: string): Promise<void> {
    const id = endpoint.state.endpointId!;
    if (this.deps.endpoints.get(id)?.state.deliveryStatus !== 'enabled') return;
    this.deps.endpoints.disableLocally(id);
    this.deps.log.warn({ endpoint_id: id, tenant_id: endpoint.tenantId, reason }, 'endpoint auto-disabled');
    await this.deps.events.autoDisabled(endpoint.tenantId, id, reason, detail);
    await this.deps.health.reset(id);
  }
}
