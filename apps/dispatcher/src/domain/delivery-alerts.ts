import { FinishedDelivery, RetryScheduledDelivery, SucceededDelivery } from './delivery-lifecycle';

export type DeliveryAlert =
  | { kind: 'failing'; delivery: RetryScheduledDelivery }
  | { kind: 'recovered'; delivery: SucceededDelivery };

/**
 * The operational alert one finished attempt raises, if any (what Svix users know as message.attempt.failing and
 * message.attempt.recovered): `failing` when attempt number `failingAfter` of a delivery series failed and the delivery
 * will be tried again, `recovered` when a later attempt of the series succeeds. Decided from the attempt number
 * alone: no state to keep, and a retry another instance claims after a crash raises the same alert. A delivery that
 * runs out of attempts before `failingAfter` gets attempts_exhausted only. `failingAfter` 0 turns both off.
 */
export function alertAfterAttempt(attempt: number, finished: FinishedDelivery, failingAfter: number): DeliveryAlert | null {
  if (failingAfter <= 0) return null;
  if (finished.stage === 'retry_scheduled' && attempt === failingAfter) return { kind: 'failing', delivery: finished };
  if (finished.stage === 'succeeded' && attempt > failingAfter) return { kind: 'recovered', delivery: finished };
  return null;
}
