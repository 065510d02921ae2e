import { EndpointId, OAuth2ClientCredentialsV1 } from '@hookline/contracts';
import { DeliveryError, postWebhook } from '@hookline/net-guard';
import type { Dispatcher } from 'undici';
import { readTokenAnswer, refreshAt, tokenRequest } from './token-exchange';

/** No token could be had for the endpoint: the attempt fails (class auth_token) before anything is sent to it. */
export class TokenUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenUnavailableError';
  }
}

export interface EndpointTokensOptions {
  /**
   * The SSRF-guarded agent deliveries use: a token URL gets the same address checks as an endpoint URL (an endpoint
   * with a client certificate passes its own agent, guarded alike).
   */
  agent: Dispatcher;
  /** Opens a sealed client secret (throws when it was sealed under another key). */
  open: (sealed: string) => string;
  timeoutMs: number;
  userAgent: string;
  /**
   * After a failed token request, attempts to the endpoint fail at once for this long instead of asking again
   * (default 1 s: a failing identity provider gets at most one request a second per endpoint, while a delivery's own
   * retries, 5 s apart at the least by default, each still get a fresh try).
   */
  failureBackoffMs?: number;
  now?: () => number;
}

interface Held {
  value: string;
  refreshAt: number;
  expiresAt: number;
}

interface Entry {
  /** The auth settings the entry belongs to: changed settings start over. */
  fingerprint: string;
  token: Held | null;
  pending: Promise<Held> | null;
  failure: { message: string; until: number } | null;
}

const MAX_TOKEN_ANSWER_BYTES = 16 * 1024;

const fingerprintOf = (a: OAuth2ClientCredentialsV1): string =>
  JSON.stringify([a.token_url, a.client_id, a.client_secret_sealed, a.scope, a.audience, a.client_auth]);

/**
 * OAuth 2.0 access tokens of endpoints that ask for them, one per endpoint, fetched with the client-credentials grant
 * and kept until shortly before they expire. Attempts that need a token at the same moment share one token request,
 * and a failing token endpoint is asked at most once per back-off, not once per attempt: a backlog for an endpoint
 * must not become a flood against its identity provider. Tokens live only in this process' memory.
 */
export class EndpointTokens {
  private readonly entries = new Map<EndpointId, Entry>();
  private readonly now: () => number;
  private readonly failureBackoffMs: number;

  constructor(private readonly options: EndpointTokensOptions) {
    this.now = options.now ?? Date.now;
    this.failureBackoffMs = options.failureBackoffMs ?? 1_000;
  }

  /**
   * The `Authorization` header value for an attempt to the endpoint now. Throws TokenUnavailableError.
   *
   * `clientCertificate`: the endpoint's own agent when it has a client certificate (mutual TLS). The token request
   * goes through it too, so a token endpoint that asks for the certificate gets it: to authenticate the client
   * (RFC 8705 §2), and to bind the token to the certificate the endpoint will then see (§3). A replaced
   * certificate starts over with a new token.
   */
  async authorization(endpointId: EndpointId, auth: OAuth2ClientCredentialsV1, clientCertificate?: { agent: Dispatcher; fingerprint: string }): Promise<string> {
    const entry = this.entryFor(endpointId, auth, clientCertificate?.fingerprint ?? '');
    const now = this.now();
    if (entry.token && now < entry.token.refreshAt) return `Bearer ${entry.token.value}`;
    if (!entry.pending && entry.failure && now < entry.failure.until) {
      if (entry.token && now < entry.token.expiresAt) return `Bearer ${entry.token.value}`;
      throw new TokenUnavailableError(entry.failure.message);
    }
    entry.pending ??= this.fetch(entry, auth, clientCertificate?.agent ?? this.options.agent);
    try {
      return `Bearer ${(await entry.pending).value}`;
    } catch (err) {
      // A refresh that failed while the old token is still valid: keep sending the old one until it lapses.
      if (entry.token && this.now() < entry.token.expiresAt) return `Bearer ${entry.token.value}`;
      throw err;
    }
  }

  /**
   * The endpoint answered 401 to a request that carried `authorization`: that token is dropped (revoked, or the
   * provider's clock disagrees with its expires_in), so the next attempt asks for a new one.
   */
  rejected(endpointId: EndpointId, authorization: string): void {
    const entry = this.entries.get(endpointId);
    if (entry?.token && `Bearer ${entry.token.value}` === authorization) entry.token = null;
  }

  /** The endpoint is gone: its token is dropped (a token request still running ends unheard). */
  forget(endpointId: EndpointId): void {
    this.entries.delete(endpointId);
  }

  /** Endpoints with a token, a token request or a failure held (for tests). */
  get size(): number {
    return this.entries.size;
  }

  private entryFor(endpointId: EndpointId, auth: OAuth2ClientCredentialsV1, certificate: string): Entry {
    const fingerprint = `${fingerprintOf(auth)}\u0000${certificate}`;
    let entry = this.entries.get(endpointId);
    if (!entry || entry.fingerprint !== fingerprint) {
      entry = { fingerprint, token: null, pending: null, failure: null };
      this.entries.set(endpointId, entry);
    }
    return entry;
  }

  private async fetch(entry: Entry, auth: OAuth2ClientCredentialsV1, agent: Dispatcher): Promise<Held> {
    try {
      const held = await this.request(auth, agent);
      entry.token = held;
      entry.failure = null;
      return held;
    } catch (err) {
      const message = err instanceof TokenUnavailableError ? err.message : `token request failed: ${(err as Error).message}`;
      entry.failure = { message, until: this.now() + this.failureBackoffMs };
      throw new TokenUnavailableError(message);
    } finally {
      entry.pending = null;
    }
  }

  private async request(auth: OAuth2ClientCredentialsV1, agent: Dispatcher): Promise<Held> {
    let secret: string;
    try {
      secret = this.options.open(auth.client_secret_sealed);
    } catch (err) {
      throw new TokenUnavailableError(`cannot open the OAuth 2.0 client secret: ${(err as Error).message}`);
    }
    const { headers, body } = tokenRequest(auth, secret, this.options.userAgent);
    const fetchedAt = this.now();
    let res;
    try {
      res = await postWebhook(agent, {
        url: auth.token_url, headers, body, timeoutMs: this.options.timeoutMs, maxResponseBytes: MAX_TOKEN_ANSWER_BYTES,
      });
    } catch (err) {
      const cls = err instanceof DeliveryError ? `${err.class}: ` : '';
      throw new TokenUnavailableError(`token endpoint not reached (${cls}${(err as Error).message})`);
    }
    const answer = readTokenAnswer(res.status, res.body, fetchedAt);
    if (!answer.ok) throw new TokenUnavailableError(answer.message);
    return { value: answer.accessToken, expiresAt: answer.expiresAt, refreshAt: refreshAt(fetchedAt, answer.expiresAt) };
  }
}
