import { ProblemError } from '@hookline/service-kit';
import { MESSAGE_INDEX_DAYS } from '../infrastructure/message-index/message-index';

/** Longest window a recover or a replay may cover: the message topic's default retention, and the message index's. */
export const MAX_WINDOW_MS = MESSAGE_INDEX_DAYS * 24 * 3600_000;

/**
 * The [since, until) window of a recover or replay request (`until` defaults to now), refused with a problem naming the
 * field when it is empty or longer than MESSAGE_INDEX_DAYS. `what` names the command in the message.
 */
export function timeWindow(input: { since: string; until?: string }, what: string): { since: Date; until: Date } {
  const since = new Date(input.since);
  const until = input.until ? new Date(input.until) : new Date();
  if (until <= since) throw new ProblemError('validation', 'until must be after since', [{ pointer: '/until', detail: 'not after since' }]);
  if (until.getTime() - since.getTime() > MAX_WINDOW_MS) {
    throw new ProblemError('validation', `a ${what} window covers at most ${MESSAGE_INDEX_DAYS} days`, [{ pointer: '/since', detail: 'window too long' }]);
  }
  return { since, until };
}
