import { EntityManager } from 'typeorm';
import { ProjectedRecord } from './projected-record';
import { ConfigRecord, writeConfigEvents, writeRequestAudit } from './config/config.writer';
import { aggregateOf } from './config/config-aggregates';
import { Attempted, addAttemptHealth, writeAttempts } from './writers/attempts.writer';
import { DeadLettered, writeDeadLetters } from './writers/dead-letters.writer';
import { DeliveryRecord, writeDeliveries } from './writers/deliveries.writer';
import { Expunged, Published, writeExpunges, writeMessages } from './writers/messages.writer';
import {
  AutoDisabled, BreakerChanged, CertificateWarning, RefusedRequest, writeAutoDisabled, writeBreakerChanges, writeCertificateWarnings,
  writeRefusedRequests,
} from './writers/operational.writer';

interface Grouped {
  config: ConfigRecord[];
  requests: ProjectedRecord[];
  published: Published[];
  expunged: Expunged[];
  deliveries: DeliveryRecord[];
  attempted: Attempted[];
  deadLettered: DeadLettered[];
  breaker: BreakerChanged[];
  autoDisabled: AutoDisabled[];
  certificateWarnings: CertificateWarning[];
  refused: RefusedRequest[];
  ignored: number;
}

function group(records: ProjectedRecord[]): Grouped {
  const g: Grouped = { config: [], requests: [], published: [], expunged: [], deliveries: [], attempted: [], deadLettered: [], breaker: [], autoDisabled: [],
    certificateWarnings: [], refused: [], ignored: 0 };
  for (const r of records) {
    const e = r.event;
    switch (e.type) {
      case 'message.published.v1': g.published.push(r as Published); break;
      case 'message.content_expunged.v1': g.expunged.push(r as Expunged); break;
      case 'message.resend_requested.v1':
      case 'endpoint.recovery_requested.v1': g.requests.push(r); break;
      case 'delivery.attempted.v1': g.attempted.push(r as Attempted); g.deliveries.push(r as DeliveryRecord); break;
      case 'delivery.parked.v1':
      case 'delivery.dropped.v1': g.deliveries.push(r as DeliveryRecord); break;
      case 'delivery.dead_lettered.v1': g.deadLettered.push(r as DeadLettered); g.deliveries.push(r as DeliveryRecord); break;
      case 'endpoint.breaker_changed.v1': g.breaker.push(r as BreakerChanged); break;
      case 'endpoint.auto_disabled.v1': g.autoDisabled.push(r as AutoDisabled); break;
      case 'endpoint.client_certificate_expiring.v1': g.certificateWarnings.push(r as CertificateWarning); break;
      case 'source.request_refused.v1': g.refused.push(r as RefusedRequest); break;
      // Exhaustion is followed by delivery.dead_lettered.v1, which carries everything the read models need; failing and
      // recovered are heads-ups about attempts the read models already show.
      case 'delivery.attempts_exhausted.v1':
      case 'delivery.attempts_failing.v1':
      case 'delivery.recovered.v1': g.ignored += 1; break;
      default:
        if (aggregateOf(e)) g.config.push(r as ConfigRecord);
        else g.ignored += 1; // a newer event type this version does not know: skipped, not fatal
    }
  }
  return g;
}

/**
 * Applies decoded events to the read models inside the caller's transaction, as a few multi-row statements grouped by
 * table. Every statement is guarded so applying the same events again changes nothing (see each writer).
 * Returns how many events had no effect because this version does not project them.
 *
 * The endpoint_health rows come last. Every transaction with attempts of an endpoint updates that endpoint's one row,
 * so a concurrent transaction waits for its lock until this one commits. Written straight after the attempts (before
 * the deliveries upsert), the lock was held through most of the transaction: in a rebuild, its two consumers waited on
 * each other for 1.9 s of 26.
 */
export async function applyEvents(em: EntityManager, records: ProjectedRecord[]): Promise<number> {
  const g = group(records);
  if (g.config.length) await writeConfigEvents(em, g.config);
  if (g.requests.length) await writeRequestAudit(em, g.requests);
  if (g.published.length) await writeMessages(em, g.published);
  if (g.expunged.length) await writeExpunges(em, g.expunged);
  const health = g.attempted.length ? await writeAttempts(em, g.attempted) : [];
  if (g.deliveries.length) await writeDeliveries(em, g.deliveries);
  if (g.deadLettered.length) await writeDeadLetters(em, g.deadLettered);
  if (health.length) await addAttemptHealth(em, health);
  if (g.breaker.length) await writeBreakerChanges(em, g.breaker);
  if (g.autoDisabled.length) await writeAutoDisabled(em, g.autoDisabled);
  if (g.certificateWarnings.length) await writeCertificateWarnings(em, g.certificateWarnings);
  if (g.refused.length) await writeRefusedRequests(em, g.refused);
  return g.ignored;
}
