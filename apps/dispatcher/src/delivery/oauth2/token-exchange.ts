import { OAuth2ClientCredentialsV1 } from '@hookline/contracts';

/** The token request of the client-credentials grant (RFC 6749 §4.4.2), ready to POST. */
export interface TokenRequest {
  headers: Record<string, string>;
  body: string;
}

export type TokenAnswer =
  | { ok: true; accessToken: string; /** Epoch ms after which the token must not be sent. */ expiresAt: number }
  | { ok: false; message: string };

/** Lifetime assumed when the token endpoint gives no `expires_in` (RFC 6749 makes it optional); a 401 ends it sooner. */
export const DEFAULT_TOKEN_LIFETIME_MS = 5 * 60_000;

// RFC 6749 §2.3.1: client id and secret are form-urlencoded before they go into HTTP Basic.
const formEncode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');

/** Builds the token request; the client secret goes in HTTP Basic (the RFC's default) or in the form, as configured. */
export function tokenRequest(auth: OAuth2ClientCredentialsV1, clientSecret: string, userAgent: string): TokenRequest {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scope) form.set('scope', auth.scope);
  if (auth.audience) form.set('audience', auth.audience);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': userAgent,
  };
  if (auth.client_auth === 'body') {
    form.set('client_id', auth.client_id);
    form.set('client_secret', clientSecret);
  } else {
    headers.authorization = `Basic ${Buffer.from(`${formEncode(auth.client_id)}:${formEncode(clientSecret)}`).toString('base64')}`;
  }
  return { headers, body: form.toString() };
}

/**
 * Reads the token endpoint's answer (RFC 6749 §5.1 success, §5.2 error). The error message is for the attempt log:
 * it carries the status and the provider's `error`/`error_description`, never the request's credentials.
 */
export function readTokenAnswer(status: number, body: string, receivedAt: number): TokenAnswer {
  let json: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = null;
  }
  if (status < 200 || status >= 300) {
    const error = typeof json?.error === 'string' ? json.error : null;
    const description = typeof json?.error_description === 'string' ? json.error_description.slice(0, 200) : null;
    return { ok: false, message: `token endpoint answered HTTP ${status}${error ? ` ${error}` : ''}${description ? `: ${description}` : ''}` };
  }
  if (!json) return { ok: false, message: `token endpoint answered HTTP ${status} without a JSON object` };
  const token = json.access_token;
  if (typeof token !== 'string' || token.length === 0) return { ok: false, message: 'token endpoint answer has no access_token' };
  // A header value cannot carry line breaks; a token that does would let the provider inject headers.
  if (/[\r\n\0]/.test(token)) return { ok: false, message: 'token endpoint answered an access_token that is not a valid header value' };
  const type = json.token_type;
  if (type !== undefined && (typeof type !== 'string' || type.toLowerCase() !== 'bearer')) {
    return { ok: false, message: `token endpoint answered token_type ${JSON.stringify(type)}; only bearer tokens can be sent` };
  }
  const expiresIn = Number(json.expires_in);
  const lifetimeMs = json.expires_in !== undefined && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : DEFAULT_TOKEN_LIFETIME_MS;
  return { ok: true, accessToken: token, expiresAt: receivedAt + lifetimeMs };
}

/**
 * When a cached token is fetched again: a little before it expires (10 % of its lifetime, at most a minute), so an
 * attempt never leaves with a token that lapses in flight.
 */
export function refreshAt(fetchedAt: number, expiresAt: number): number {
  return expiresAt - Math.min(60_000, (expiresAt - fetchedAt) / 10);
}
