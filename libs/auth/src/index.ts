/**
 * @hookline/auth — API key secrets and hashes, bearer parsing, IP allowlists and token-bucket rate limits,
 * shared by every service that authenticates callers (and by the dispatcher's per-endpoint rate limit).
 */
export { generateApiKeySecret, hashApiKey, apiKeyHint, sameHash, bearerToken } from './api-key';
export { validateAllowlistEntry, ipAllowed } from './ip-allowlist';
export { TokenBucket, KeyedRateLimiter } from './token-bucket';
