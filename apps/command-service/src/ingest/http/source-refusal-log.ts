import { ROOT_CONTEXT } from '@opentelemetry/api';
import { SourceId, SourceRequestRefusedV1, SourceVerificationV1, TenantId, envelope, newId } from '@hookline/contracts';
import type { Logger } from '@hookline/observability';
import type { MessageAppender } from '../../infrastructure/kafka/message-appender';
import { Refusal, RefusedRequest, refusedRequestData } from './refused-request';

interface Window {
  startedAt: number;
  recorded: number;
  /** Refusals left out since the last one recorded. */
  skipped: number;
}

const WINDOW_MS = 60_000;
// Windows of sources that have gone quiet are dropped once this many are held (a flood of made-up source ids never
// reaches here: an unknown source is refused before it has a tenant to record for).
const MAX_WINDOWS = 10_000;

/**
 * Records requests HTTP sources refused as source.request_refused.v1 on the operational topic (keyed by tenant), so the
 * query service can show a tenant why a provider's webhooks never became messages. At most `perMinute` per source and
 * minute from this instance: a sender hammering a source with bad signatures costs one event per refusal up to that,
 * then only a count, carried by the next recorded one. 0 records none.
 *
 * Recording never holds up or changes the provider's answer: the append is not awaited, and a failed one is logged.
 * (A diagnostic record, not an acknowledged event: nothing was promised to anyone about it.)
 */
export class SourceRefusalLog {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly appender: Pick<MessageAppender, 'append'>,
    private readonly perMinute: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  record(tenantId: string, sourceId: string, verification: SourceVerificationV1 | null, request: RefusedRequest, refusal: Refusal): void {
    if (this.perMinute === 0) return;
    const notRecorded = this.admit(sourceId);
    if (notRecorded === null) return;
    const data = refusedRequestData(sourceId as SourceId, verification, request, refusal, notRecorded);
    const event = envelope<SourceRequestRefusedV1>(
      { type: 'source.request_refused.v1', data },
      // Nothing came before it to correlate with: the refusal starts its own chain.
      { tenantId: tenantId as TenantId, source: 'command-service', correlationId: newId('event'), occurredAt: new Date(this.now()) },
    );
    this.appender.append(event, tenantId, ROOT_CONTEXT).catch((err: Error) => {
      this.log.warn({ err, source_id: sourceId, tenant_id: tenantId }, 'refused request not recorded: the operational topic did not take it');
    });
  }

  /** Null when this source's minute is full (the refusal is counted instead); else how many were left out before it. */
  private admit(sourceId: string): number | null {
    const now = this.now();
    let w = this.windows.get(sourceId);
    if (!w || now - w.startedAt >= WINDOW_MS) {
      if (!w && this.windows.size >= MAX_WINDOWS) this.forgetQuiet(now);
      w = { startedAt: now, recorded: 0, skipped: w?.skipped ?? 0 };
      this.windows.set(sourceId, w);
    }
    if (w.recorded >= this.perMinute) {
      w.skipped += 1;
      return null;
    }
    w.recorded += 1;
    const skipped = w.skipped;
    w.skipped = 0;
    return skipped;
  }

  private forgetQuiet(now: number): void {
    for (const [id, w] of this.windows) if (now - w.startedAt >= WINDOW_MS && w.skipped === 0) this.windows.delete(id);
  }
}
