/**
 * @hookline/auth — API key secrets and hashes, bearer parsing, expiry, IP allowlists and token-bucket rate limits,
 * shared by every service that authenticates callers (and by the dispatcher's per-endpoint rate limit).
 */
export { generateApiKeySecret, hashApiKey, mintApiKey, sameHash, bearerToken } from './api-key';
export type { MintedApiKey } from './api-key';
export { expiredKeyProblem } from './expired-key';
export { validateAllowlistEntry, ipAllowed } from './ip-allowlist';
export { TokenBucket, KeyedRateLimiter } from './token-bucket';
