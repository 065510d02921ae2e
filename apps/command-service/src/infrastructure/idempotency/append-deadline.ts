import { ProblemError } from '@hookline/service-kit';

/**
 * The answer of a command whose events are on their way to Kafka, or a 503 once `ms` have passed. The append itself
 * goes on (Kafka's producer keeps trying for about a minute), so the 503 says "not acknowledged", not "not appended":
 * the same request again with its Idempotency-Key gets the first answer, or carries the command out under the
 * same ids, never a second event of its own.
 */
export async function answerWithin<T>(ms: number, answer: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ProblemError('unavailable', `Kafka has not acknowledged the command's events within ${ms} ms; they may still be appended: retry with the same Idempotency-Key to get the answer without a second event`, [], {}, { 'retry-after': '1' }),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}
