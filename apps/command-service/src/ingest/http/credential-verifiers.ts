import { SourceVerificationV1 } from '@hookline/contracts';
import { IncomingHeaders, firstHeader, sameText } from './same-text';
import type { Verified } from './signature-verifiers';

const BASIC = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i;

/** HTTP Basic (RFC 7617): `Authorization: Basic base64(username:password)`, both parts compared in constant time. */
export function verifyBasicAuth(v: Extract<SourceVerificationV1, { type: 'basic_auth' }>, password: string, headers: IncomingHeaders): Verified {
  const match = BASIC.exec(firstHeader(headers, 'authorization') ?? '');
  if (!match) return { ok: false, reason: 'missing_signature' };
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { ok: false, reason: 'malformed_signature' };
  // Both compared always, so the time taken does not say which was wrong.
  const user = sameText(decoded.slice(0, colon), v.username);
  const pass = sameText(decoded.slice(colon + 1), password);
  return user && pass ? { ok: true } : { ok: false, reason: 'no_matching_signature' };
}

/** A shared key in one header, whose value must be exactly the key. */
export function verifyApiKey(v: Extract<SourceVerificationV1, { type: 'api_key' }>, key: string, headers: IncomingHeaders): Verified {
  const given = firstHeader(headers, v.header);
  if (given === undefined || given === '') return { ok: false, reason: 'missing_signature' };
  return sameText(given, key) ? { ok: true } : { ok: false, reason: 'no_matching_signature' };
}

// Graph batches notifications; a body with more than this is no notification of Graph's (and is not walked).
const MAX_NOTIFICATIONS = 1000;

/**
 * Microsoft Graph's change and lifecycle notifications: unsigned, but each echoes the `clientState` given when the
 * subscription was made. The body's `value` must be a non-empty array whose every notification carries the secret
 * (compared in constant time, every one of them): one notification of another subscription mixed in refuses the lot.
 */
export function verifyGraphClientState(clientState: string, body: Buffer): Verified {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, reason: 'missing_signature' };
  }
  const notifications = (parsed as { value?: unknown } | null)?.value;
  if (!Array.isArray(notifications) || notifications.length === 0 || notifications.length > MAX_NOTIFICATIONS) return { ok: false, reason: 'missing_signature' };
  let all = true;
  for (const n of notifications) {
    const given = (n as { clientState?: unknown } | null)?.clientState;
    // Not short-circuited: how long the check takes says nothing of which notification was wrong.
    all = (typeof given === 'string' && sameText(given, clientState)) && all;
  }
  return all ? { ok: true } : { ok: false, reason: 'no_matching_signature' };
}
