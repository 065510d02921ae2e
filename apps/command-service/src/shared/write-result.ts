import { encodePosition } from '@hookline/contracts';
import { Executed } from '../infrastructure/aggregates/aggregate-store';

/** What every config command answers: the aggregate's new version (the next If-Match) and a position token. */
export interface WriteResult {
  version: number;
  position: string | null;
}

export function writeResult(executed: Executed<unknown>): WriteResult {
  return { version: executed.version, position: executed.position ? encodePosition([executed.position]) : null };
}
