import { keyExpired } from '@hookline/domain';
import { ProblemError } from '@hookline/service-kit';

/**
 * The refusal of a key past its expiry, or null while it still works. Both services check this at every use (not when
 * they cache the key), so a cached key never outlives its expiry, and both refuse it in the same words.
 */
export function expiredKeyProblem(scope: string, expiresAt: string | Date | null | undefined, now: number): ProblemError | null {
  const at = expiresAt instanceof Date ? expiresAt.toISOString() : expiresAt;
  if (!keyExpired(at, now)) return null;
  return new ProblemError('unauthenticated', `this ${scope === 'portal' ? 'portal session' : 'API key'} expired at ${at}`,
    [], {}, { 'www-authenticate': 'Bearer error="invalid_token"' });
}
