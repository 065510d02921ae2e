import { SourceRequestRefusedV1, SourceVerificationV1 } from '@hookline/contracts';
import { IncomingHeaders } from './same-text';

/** What a refused request looked like, as the source's refusal log keeps it. */
export interface RefusedRequest {
  receivedAt: Date;
  method: string;
  headers: IncomingHeaders;
  query: URLSearchParams;
  /** Empty for a GET, and for a body over the ingest limit (never read). */
  body: Buffer;
  /** The body's size when `body` holds none of it (one over the ingest limit); else its length. */
  bodyBytes?: number;
}

/** How it was refused: the status and problem the provider got, and why, as a code. */
export interface Refusal {
  status: number;
  outcome: string;
  reason: string;
  detail: string;
}

export const MAX_HEADERS = 64;
export const MAX_HEADER_CHARS = 512;
export const MAX_QUERY_PARAMS = 32;
export const BODY_EXCERPT_BYTES = 2048;
export const REDACTED = '[redacted]';
// A refused body's declared size is the sender's to make up (Content-Length: 99999999999): held to what a 32-bit
// integer holds, as the query service's column and gRPC field are.
export const MAX_RECORDED_BODY_BYTES = 2 ** 31 - 1;

// Credentials a request may carry whatever the source's verification: never written to the log.
const ALWAYS_REDACTED = new Set(['authorization', 'proxy-authorization', 'cookie']);
// Meta's verify token is the source's shared secret, sent in the query string.
const REDACTED_QUERY = new Set(['hub.verify_token']);

/**
 * The event data of a refused request: its headers (credential values redacted: the Authorization header, cookies, the
 * header an `api_key` source reads its key from), query parameters, and the start of its body, each bounded so a
 * hostile sender cannot make one event large. Signature headers stay: comparing them is how a mismatch is found.
 */
export function refusedRequestData(
  sourceId: SourceRequestRefusedV1['data']['source_id'], verification: SourceVerificationV1 | null, request: RefusedRequest, refusal: Refusal,
  notRecorded: number,
): SourceRequestRefusedV1['data'] {
  const secretHeader = verification?.type === 'api_key' ? verification.header.toLowerCase() : null;
  const headers: Record<string, string> = {};
  for (const name of Object.keys(request.headers).slice(0, MAX_HEADERS)) {
    const raw = request.headers[name];
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    headers[name] = ALWAYS_REDACTED.has(name) || name === secretHeader ? REDACTED : bounded(value, MAX_HEADER_CHARS);
  }
  const query: Record<string, string> = {};
  let params = 0;
  for (const [name, value] of request.query) {
    if (params++ >= MAX_QUERY_PARAMS) break;
    query[bounded(name, 128)] = REDACTED_QUERY.has(name) ? REDACTED : bounded(value, MAX_HEADER_CHARS);
  }
  const contentType = request.headers['content-type'];
  const bodyBytes = Math.min(request.bodyBytes ?? request.body.length, MAX_RECORDED_BODY_BYTES);
  return {
    source_id: sourceId,
    received_at: request.receivedAt.toISOString(),
    method: request.method,
    status: refusal.status,
    outcome: refusal.outcome,
    reason: refusal.reason,
    detail: bounded(refusal.detail, 1024),
    headers,
    query,
    content_type: typeof contentType === 'string' ? bounded(contentType, MAX_HEADER_CHARS) : null,
    body_bytes: bodyBytes,
    body_excerpt: textExcerpt(request.body, BODY_EXCERPT_BYTES),
    body_truncated: bodyBytes > Math.min(request.body.length, BODY_EXCERPT_BYTES),
    not_recorded: notRecorded,
  };
}

function bounded(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The first `max` bytes as text: a character cut in half at the end is dropped, not turned into U+FFFD, and NUL
 * (which Postgres text cannot hold) becomes U+FFFD, so the excerpt always projects.
 */
function textExcerpt(body: Buffer, max: number): string {
  let end = Math.min(body.length, max);
  // Back off over UTF-8 continuation bytes when the cut falls inside a character.
  if (end < body.length) while (end > 0 && (body[end] & 0xc0) === 0x80) end--;
  return body.subarray(0, end).toString('utf8').replace(/\u0000/g, '\ufffd');
}
