import { type Logger, extractTraceContext, traceLogFields } from '@hookline/observability';
import { context, type Context } from '@opentelemetry/api';
import { KnownEndpoint, EndpointDirectory } from '../config-view/endpoint-directory';
import { alertAfterAttempt } from '../domain/delivery-alerts';
import { AttemptTrigger, FinishedDelivery, PendingDelivery, finishAttempt, startAttempt } from '../domain/delivery-lifecycle';
import { RetryPolicySettings, decideAfterAttempt, scheduleFor } from '../domain/retry-policy';
import { AttemptExecutor, AttemptRecord } from './attempt-executor';
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
  /** ALERT_FAILING_AFTER_ATTEMPTS (0 = no failing/recovered alerts). */
  alertFailingAfter: number;
  random: () => number;
  log: Logger;
  /** Every finished attempt, for metrics. */
  onAttempt?: (record: AttemptRecord, finished: FinishedDelivery, trigger: AttemptTrigger) => void;
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

  run(pending: PendingDelivery, endpoint: KnownEndpoint, probe: boolean): Promise<AttemptResult> {
    // In the message's trace (its consumer span), retries claimed from the store included: the attempt span, the log lines
    // and the breaker and auto-disable events all belong to it.
    const parent = extractTraceContext(pending.message.trace);
    return context.with(parent, () => this.attempt(pending, endpoint, probe, parent));
  }

  private async attempt(pending: PendingDelivery, endpoint: KnownEndpoint, probe: boolean, parent: Context): Promise<AttemptResult> {
    const { deps } = this;
    const inFlight = startAttempt(pending, new Date());
    const record = await deps.executor.execute(inFlight, endpoint, parent);
    const now = new Date();
    deps.gate.finish(pending.tenantId, pending.endpointId, record.succeeded, probe, now.getTime());
    // Object.assign, not spread, on the per-attempt path: see coreOf in domain/delivery-lifecycle.ts.
    const settings = Object.assign({}, deps.retry, { scheduleSeconds: scheduleFor(deps.retry.scheduleSeconds, endpoint.state.settings.retry_schedule_seconds) });
    const decision = decideAfterAttempt(record.outcome, inFlight.attempt, settings, now, deps.random);
    const finished = finishAttempt(inFlight, decision);
    deps.onAttempt?.(record, finished, inFlight.trigger);
    if (deps.log.isLevelEnabled('debug')) {
      deps.log.debug(
        {
          ...traceLogFields(record.traceContext), tenant_id: pending.tenantId, message_id: pending.message.message_id,
          endpoint_id: pending.endpointId, delivery_id: pending.deliveryId, attempt: inFlight.attempt, trigger: inFlight.trigger,
          status: record.response?.status ?? null, error_class: record.error?.class ?? null, latency_ms: record.latencyMs, outcome: finished.stage,
        },
        'webhook attempt finished',
      );
    }

    const effects: Array<Promise<unknown>> = [deps.events.attempted(inFlight, record, finished)];
    if (finished.stage === 'dead_lettered') effects.push(deps.events.deadLettered(finished));
    const alert = alertAfterAttempt(inFlight.attempt, finished, deps.alertFailingAfter);
    if (alert) effects.push(deps.events.alert(alert, inFlight.attempt));
    if (decision.kind === 'gone') effects.push(this.disable(endpoint, record, 'gone', `receiver answered 410 Gone at ${record.startedAt.toISOString()}`));
    if (record.succeeded) {
      effects.push(deps.health.succeeded(pending.endpointId));
    } else {
      effects.push(
        deps.health.failed(pending.tenantId, pending.endpointId, now, decision.kind === 'succeeded' ? '' : decision.reason,
          endpoint.state.settings.auto_disable_after_hours).then((tooLong) =>
          tooLong ? this.disable(endpoint, record, 'failing', `failing continuously; last error: ${'reason' in decision ? decision.reason : ''}`) : undefined,
        ),
      );
    }
    return { finished, acknowledged: Promise.all(effects) };
  }

  /**
   * Stops deliveries at once here and asks the command-service (via the operational topic) to disable it for good; the
   * event continues the trace of the attempt that decided it.
   */
  private async disable(endpoint: KnownEndpoint, cause: AttemptRecord, reason: 'gone' | 'failing', detail: string): Promise<void> {
    const id = endpoint.state.endpointId!;
    const current = this.deps.endpoints.get(id);
    if (current?.state.deliveryStatus !== 'enabled') return;
    this.deps.endpoints.disableLocally(id);
    this.deps.log.warn({ ...traceLogFields(cause.traceContext), endpoint_id: id, tenant_id: endpoint.tenantId, reason }, 'endpoint auto-disabled');
    // The version as the view has it now (the attempt may have started on an older snapshot).
    await this.deps.events.autoDisabled(endpoint.tenantId, id, current.state.version, reason, detail, cause.traceContext);
    await this.deps.health.reset(id);
  }
}
