import { SourceId } from '../ids';

/**
 * Added in 2026-12 (new events of the config topic, v1): an HTTP source takes webhooks a provider (Stripe, GitHub,
 * Shopify, any Standard Webhooks sender, another Hookline) POSTs to `/ingest/{source_id}`, checks that each comes
 * from that provider, and publishes it as a message of the source's tenant, through the rules of `POST /messages`.
 *
 * How a request proves where it comes from. Secrets are `enc:v1:…` sealed: the topic never carries them in the clear.
 * - `standard_webhooks`: `webhook-id`, `webhook-timestamp` and `webhook-signature` (`v1,` HMAC-SHA256 of
 *   `id.timestamp.body` with a `whsec_` secret), timestamp within `tolerance_seconds`.
 * - `hmac`: an HMAC of the raw body in `header`, as `prefix` + hex or base64 (GitHub: `x-hub-signature-256`, sha256,
 *   hex, `sha256=`; Shopify: `x-shopify-hmac-sha256`, sha256, base64, no prefix).
 * - `stripe`: `stripe-signature: t=…,v1=…[,v1=…]`, HMAC-SHA256 of `t.body`, `t` within `tolerance_seconds`.
 * - `basic_auth` / `api_key`: a shared credential (HTTP Basic; or a header's exact value).
 * - `none`: anything is taken (for senders that cannot sign; named, never a default).
 * - `v0_hmac` (added in 2026-12 within v1): Slack's and Zoom's scheme. `header` holds `v0=` + the hex HMAC-SHA256 of
 *   `v0:<timestamp>:<body>`, the timestamp (Unix seconds) is in `timestamp_header` and within `tolerance_seconds`
 *   (Slack: `x-slack-signature`, `x-slack-request-timestamp`; Zoom: `x-zm-signature`, `x-zm-request-timestamp`).
 * - `graph_client_state` (added in 2026-12 within v1): Microsoft Graph's change notifications, which carry no signature
 *   but echo the `clientState` secret given when the subscription was made: the body's `value` is a non-empty array
 *   whose every notification's `clientState` is the secret.
 */
export type SourceVerificationV1 =
  | { type: 'standard_webhooks'; secret_sealed: string; tolerance_seconds: number }
  | {
      type: 'hmac';
      /** Lower-case header name. */
      header: string;
      algorithm: 'sha1' | 'sha256' | 'sha512';
      encoding: 'hex' | 'base64';
      /** What precedes the digest in the header (`sha256=`), or ''. */
      prefix: string;
      secret_sealed: string;
    }
  | { type: 'stripe'; secret_sealed: string; tolerance_seconds: number }
  | { type: 'basic_auth'; username: string; password_sealed: string }
  | { type: 'api_key'; header: string; key_sealed: string }
  | { type: 'none' }
  | {
      type: 'v0_hmac';
      /** Lower-case header names: the signature's and the signed timestamp's. */
      header: string;
      timestamp_header: string;
      secret_sealed: string;
      tolerance_seconds: number;
    }
  | { type: 'graph_client_state'; secret_sealed: string };

/**
 * Added in 2026-12 within v1: how a source answers the check some providers make of its URL before they send anything
 * (and again from time to time). `/ingest/{source_id}` answers it itself; a handshake is never published.
 * - `slack`: a POST of `{"type":"url_verification","challenge":…}`, signed like any event, answered 200 `{"challenge":…}`.
 * - `zoom`: a POST of `{"event":"endpoint.url_validation","payload":{"plainToken":…}}`, signed like any event, answered 200
 *   `{"plainToken":…,"encryptedToken":<hex HMAC-SHA256 of plainToken with the verification's secret>}` (so the source's
 *   verification is `v0_hmac`).
 * - `meta` (WhatsApp, Messenger, Instagram): `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`, answered 200
 *   with the challenge as text when the verify token is the source's, 403 otherwise.
 * - `microsoft_graph`: a POST with `?validationToken=…`, answered 200 with the token as text/plain (before any
 *   verification: Graph's check is unsigned and carries no clientState).
 */
export type SourceHandshakeV1 =
  | { type: 'slack' }
  | { type: 'zoom' }
  | { type: 'meta'; verify_token_sealed: string }
  | { type: 'microsoft_graph' };

/** Where an incoming webhook's event type comes from: a header, a field of the JSON body (dot path), or one type. */
export type SourceEventTypeV1 =
  | { from: 'header'; header: string }
  | { from: 'field'; path: string }
  | { from: 'fixed'; event_type: string };

/**
 * What makes a provider's retry of one webhook the same message (published once within IDEMPOTENCY_TTL_HOURS): a
 * header (`webhook-id`, `x-github-delivery`) or a field of the body (Stripe's `id`); null: every request is new.
 */
export type SourceIdempotencyV1 = { from: 'header'; header: string } | { from: 'field'; path: string } | null;

/**
 * Added in 2026-12 within v1: how many requests a source takes, as a token bucket: `burst` at once, refilled at
 * `per_second` (whole requests, 1–100000, as an endpoint's `rate_limit_per_second`). Counted after a request verified
 * (a stranger's requests must not spend the provider's budget); one over it is answered 429 with Retry-After and
 * publishes nothing. Each command-service instance holds its own bucket, so N instances take up to N times the figure.
 */
export interface SourceRateLimitV1 {
  per_second: number;
  /** The most taken at once after a quiet spell; the create and update commands write `per_second` when none is given. */
  burst: number;
}

export interface SourceSettingsV1 {
  name: string;
  description: string;
  verification: SourceVerificationV1;
  event_type: SourceEventTypeV1;
  idempotency: SourceIdempotencyV1;
  /** A field of the body (dot path) to publish as the payload instead of the whole body; null: the whole body. */
  payload_field: string | null;
  /** Channels every message of this source carries (endpoints filter on them); null: none. */
  channels: string[] | null;
  /** A disabled source answers 404 like an unknown one, and publishes nothing. */
  enabled: boolean;
  /** Added in 2026-12 within v1: the URL check the source answers; absent or null: none. */
  handshake?: SourceHandshakeV1 | null;
  /** Added in 2026-12 within v1: the most requests the source takes; absent or null: no limit. */
  rate_limit?: SourceRateLimitV1 | null;
}
export interface SourceCreatedV1 {
  type: 'source.created.v1';
  data: SourceSettingsV1 & { source_id: SourceId };
}
/** Fields left out are unchanged; the sealing-key rotation writes a re-sealed `verification` this way too. */
export interface SourceUpdatedV1 {
  type: 'source.updated.v1';
  data: Partial<SourceSettingsV1> & { source_id: SourceId };
}
export interface SourceDeletedV1 {
  type: 'source.deleted.v1';
  data: { source_id: SourceId };
}
export type SourceEvent = SourceCreatedV1 | SourceUpdatedV1 | SourceDeletedV1;
