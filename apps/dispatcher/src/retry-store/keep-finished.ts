import { assertNever } from '@hookline/domain';
import { FinishedDelivery } from '../domain/delivery-lifecycle';
import { rowOf } from './parked-row';
import { RowWriter } from './row-writer';

/**
 * Where a delivery is kept after an attempt: a success needs no row (and removes one if there was); a scheduled
 * retry or a dead letter is written (inserted or updated), releasing any lease.
 */
export function keepFinished(writer: RowWriter, finished: FinishedDelivery, opts: { rowMayExist: boolean; fifo: boolean }): Promise<void> {
  switch (finished.stage) {
    case 'succeeded':
      return opts.rowMayExist ? writer.remove(finished.deliveryId) : Promise.resolve();
    case 'retry_scheduled':
      return writer.settle(rowOf(finished, { nextAttemptAt: finished.nextAttemptAt, lastError: finished.lastError, parkReason: 'retry', fifo: opts.fifo }));
    case 'dead_lettered':
      return writer.settle(rowOf(finished, { state: 'dead', nextAttemptAt: new Date(), lastError: finished.lastError, fifo: opts.fifo }));
    default:
      return assertNever(finished);
  }
}
