import { createHmac } from 'node:crypto';
import { SourceHandshakeV1 } from '@hookline/contracts';
import { assertNever } from '@hookline/domain';
import { valueAt } from '../incoming-message';
import { sameText } from './same-text';

/** What /ingest answers a provider's URL check with itself: 200 and this body. A handshake is never published. */
export interface HandshakeReply {
  contentType: 'application/json' | 'text/plain; charset=utf-8';
  body: string;
}

/** What a handshake decision reads of a request: its query string, and its body as parsed JSON (undefined if not JSON). */
export interface HandshakeRequest {
  query: URLSearchParams;
  body: unknown;
}

// Providers' challenges are short (Slack's 48 characters, Zoom's 22, Graph's a sentence): a longer value is no handshake
// of theirs, and is not echoed back.
const MAX_TOKEN_LENGTH = 1024;
const isToken = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_TOKEN_LENGTH;
const json = (value: object): HandshakeReply => ({ contentType: 'application/json', body: JSON.stringify(value) });
const text = (value: string): HandshakeReply => ({ contentType: 'text/plain; charset=utf-8', body: value });

/**
 * The answer to a POST that is the source's handshake, asked once the request verified like any webhook; null: it is
 * an ordinary webhook (no handshake, another one, or not its shape). `secret` opens the verification's secret, which
 * Zoom's answer is an HMAC with.
 */
export function postHandshakeReply(handshake: SourceHandshakeV1 | null, request: HandshakeRequest, secret: () => string): HandshakeReply | null {
  if (handshake === null) return null;
  switch (handshake.type) {
    case 'slack': {
      const challenge = valueAt(request.body, 'challenge');
      return valueAt(request.body, 'type') === 'url_verification' && isToken(challenge) ? json({ challenge }) : null;
    }
    case 'zoom': {
      const plainToken = valueAt(request.body, 'payload.plainToken');
      if (valueAt(request.body, 'event') !== 'endpoint.url_validation' || !isToken(plainToken)) return null;
      return json({ plainToken, encryptedToken: createHmac('sha256', secret()).update(plainToken).digest('hex') });
    }
    case 'microsoft_graph': {
      // URLSearchParams has decoded it: Graph wants the token back as it was before encoding.
      const token = request.query.get('validationToken');
      return isToken(token) ? text(token) : null;
    }
    case 'meta':
      return null; // Meta checks the URL with a GET; its POSTs are events
    default:
      return assertNever(handshake);
  }
}

export type GetHandshakeOutcome = { ok: true; reply: HandshakeReply } | { ok: false; reason: 'no_get_handshake' | 'verify_token_mismatch' };

/**
 * The answer to a GET of a source's ingest URL: only Meta's verification request has one (`hub.mode=subscribe`,
 * `hub.verify_token`, `hub.challenge`), the challenge as text when the verify token is the source's. `verifyToken`
 * opens the source's sealed token.
 */
export function getHandshakeReply(handshake: SourceHandshakeV1 | null, query: URLSearchParams, verifyToken: (sealed: string) => string): GetHandshakeOutcome {
  if (handshake?.type !== 'meta') return { ok: false, reason: 'no_get_handshake' };
  const challenge = query.get('hub.challenge');
  // Compared whatever else is wrong, in constant time: the time taken says nothing of the token.
  const matches = sameText(query.get('hub.verify_token') ?? '', verifyToken(handshake.verify_token_sealed));
  return matches && query.get('hub.mode') === 'subscribe' && isToken(challenge) ? { ok: true, reply: text(challenge) } : { ok: false, reason: 'verify_token_mismatch' };
}
