/**
 * `work`, or a rejection with `onDeadline()` once `timeoutMs` passed (the work itself goes on: a broker may still take
 * the message, as an https receiver may still process a request that timed out).
 */
export function withDeadline<T>(work: Promise<T>, timeoutMs: number, onDeadline: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onDeadline()), timeoutMs);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
