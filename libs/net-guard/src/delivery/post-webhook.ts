import { performance } from 'node:perf_hooks';
import { Dispatcher } from 'undici';
import { NET_GUARD_DEFAULTS } from '../net-guard.defaults';
import { classifyDeliveryError } from './classify-delivery-error';
import { readCappedBody } from './read-capped-body';
import { flattenHeaders } from './response-headers';
import { SharedDeadlines } from './shared-deadlines';

/** One delivery attempt: a POST of an already-signed body. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string | Buffer;
  /** Deadline for the whole attempt: connect, response headers and reading the kept body. */
  timeoutMs: number;
  /** How much of the response body to keep (default 4096). */
  maxResponseBytes?: number;
}

/** The receiver's answer, whatever its status. */
export interface WebhookResponse {
  status: number;
  /** Lower-cased names, repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The first `maxResponseBytes` of the body, decoded as UTF-8. */
  body: string;
  bodyTruncated: boolean;
  /** From sending the request to having read the kept body. */
  latencyMs: number;
}

// Sent explicitly although undici 7 only follows redirects through its redirect interceptor: the interceptor reads
// the per-request value first, so 0 keeps redirects off even on a dispatcher composed with one.
type NoRedirectRequestOptions = Dispatcher.RequestOptions & { maxRedirections: 0 };

// The attempts of one process share their total-deadline timers (see SharedDeadlines for why not one per request).
const deadlines = new SharedDeadlines();

/**
 * POSTs one webhook through `dispatcher` (normally a guarded agent) and returns the receiver's answer, whatever its
 * status. Redirects are never followed: a 3xx comes back as a response and the CALLER must count it as a failed
 * delivery. Keeps the first `maxResponseBytes` of the body and always finishes the body (drained or destroyed) so
 * keep-alive sockets are reused. Rejects with `DeliveryError` when there is no response; rejects with a
 * TypeError for a non-http(s) URL, a non-positive timeout or a negative size (programming errors).
 */
export async function postWebhook(dispatcher: Dispatcher, webhook: WebhookRequest): Promise<WebhookResponse> {
  const { timeoutMs, maxResponseBytes = NET_GUARD_DEFAULTS.maxResponseBytes } = webhook;
  const url = parseDeliveryUrl(webhook.url);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError(`timeoutMs must be positive, got ${timeoutMs}`);
  if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 0) {
    throw new TypeError(`maxResponseBytes must be a non-negative integer, got ${maxResponseBytes}`);
  }

  // Fires within deadlineSlackMs(timeoutMs) after this attempt's own timeout; a response that ends after that is a timeout.
  const deadline = deadlines.signal(timeoutMs);
  const started = performance.now();
  try {
    // Straight to the dispatcher: undici's top-level request() would parse the URL again and copy these options into
    // a new object, about 3 % of the dispatcher's CPU in a drain.
    const options: NoRedirectRequestOptions = {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: webhook.headers,
      body: webhook.body,
      signal: deadline,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      maxRedirections: 0,
    };
    const response = await dispatcher.request(options);
    const captured = await readCappedBody(response.body, maxResponseBytes, NET_GUARD_DEFAULTS.maxDrainBytes);
    const latencyMs = Math.round(performance.now() - started);
    await socketBackInPool();
    return {
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      body: captured.bytes.toString('utf8'),
      bodyTruncated: captured.truncated,
      latencyMs,
    };
  } catch (error) {
    throw classifyDeliveryError({ error, origin: url.origin, timeoutMs, deadlinePassed: deadline.aborted });
  }
}

// undici marks a finished keep-alive socket idle in a setImmediate after the body ends. Returning before that makes
// the caller's next request to the same endpoint (sequential FIFO delivery) see the socket busy and open a second one.
function socketBackInPool(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function parseDeliveryUrl(text: string): URL {
  // One parse: URL.canParse followed by new URL parsed every attempt's URL twice.
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new TypeError('postWebhook needs an absolute http(s) URL; check endpoint URLs with checkEndpointUrl');
  }
  return url;
}
