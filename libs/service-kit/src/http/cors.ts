import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';

/**
 * Cross-origin access for browser clients (the consumer portal, a dashboard of the user's own). Every call carries its
 * API key as a bearer token and no cookie is ever read, so a page from another origin gains nothing a script with the
 * key could not do anyway: '*' is the default. Credentials stay off, which browsers require with '*'.
 */
export function corsOptions(origins: readonly string[]): CorsOptions {
  return {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'traceparent', 'tracestate'],
    exposedHeaders: ['etag', 'location', 'retry-after', 'link'],
    credentials: false,
    // Browsers cap it (Chromium at 2 h); 10 min spares most preflights without pinning a changed policy for long.
    maxAge: 600,
  };
}
