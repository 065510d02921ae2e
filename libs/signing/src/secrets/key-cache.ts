import { KEY_CACHE_MAX_ENTRIES } from '../signing-constants';
import { ParsedSecret, parseSecret } from './parse-secret';

const cache = new Map<string, ParsedSecret>();

/**
 * {@link parseSecret} memoised per process. Decoding base64 and importing a KeyObject costs more than the HMAC
 * itself, and the dispatcher signs thousands of messages per second with the same few secrets. Invalid secrets
 * are not cached, so they throw every time. Eviction is oldest-first once the bound is reached.
 */
export function parseSecretCached(secret: string): ParsedSecret {
  const hit = cache.get(secret);
  if (hit !== undefined) return hit;
  const parsed = parseSecret(secret);
  if (cache.size >= KEY_CACHE_MAX_ENTRIES) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(secret, parsed);
  return parsed;
}
