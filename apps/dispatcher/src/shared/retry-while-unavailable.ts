import { isDatabaseUnavailable } from '@hookline/service-kit';

/**
 * Runs `work`, and runs it again after a pause for as long as it fails because Postgres is unavailable (a dropped
 * connection, a failover, a restart). `pauseBefore(retry, err)` says how long to wait before retry number `retry`
 * (0 for the first), or null to give up and throw `err`. Any other error is thrown at once. Only for work that is
 * safe to repeat.
 */
export async function retryWhileDatabaseUnavailable<T>(
  work: () => Promise<T>,
  pauseBefore: (retry: number, err: unknown) => number | null,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await work();
    } catch (err) {
      const pause = isDatabaseUnavailable(err) ? pauseBefore(retry, err) : null;
      if (pause === null) throw err;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
