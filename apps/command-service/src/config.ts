import { BROWSER_API_ENV, COMMON_ENV, bool, int, list, oneOf, port, str, url } from '@hookline/config';
import { amqpSourcesEnv } from './ingest/amqp/amqp-sources';
import { kafkaSourcesEnv } from './ingest/kafka-sources';
import { ACCENT_COLOR, LOGO_URL, TITLE } from './portal/portal-branding';

/** Every variable the command service reads (docker-compose and deploy/ are checked against this list). */
export const COMMAND_ENV = {
  ...COMMON_ENV,
  ...BROWSER_API_ENV,
  PORT: port({ default: 3000, description: 'REST port' }),
  GRPC_PORT: port({ default: 50051, description: 'gRPC port' }),
  HOST: str({ default: '0.0.0.0', description: 'Interface to listen on' }),
  ADMIN_API_KEY: str({
    pattern: /^.{24,}$/,
    expected: 'a secret of at least 24 characters',
    description: 'Bootstrap admin API key (creates tenants and keys)',
  }),
  ALLOW_HTTP_ENDPOINTS: bool({ default: false, description: 'Accept http:// endpoint URLs (local development only)' }),
  SSRF_ALLOW_CIDRS: list({ default: [], description: 'Address ranges endpoints may point at despite SSRF protection (tests: 127.0.0.1/32)' }),
  MAX_PAYLOAD_BYTES: int({ default: 256 * 1024, min: 1024, description: 'Largest message payload accepted (413 above)' }),
  IDEMPOTENCY_TTL_HOURS: int({ default: 24, min: 1, description: 'How long an Idempotency-Key is remembered' }),
  DEFAULT_RATE_LIMIT_PER_SECOND: int({ default: 0, min: 0, description: 'Per-key request rate limit when a key sets none (0 = unlimited)' }),
  SECRET_ROTATION_GRACE_HOURS: int({ default: 24, min: 0, description: 'How long a rotated-out signing secret keeps signing' }),
  REPLAY_PAGE_MESSAGES: int({
    default: 5000,
    min: 1,
    max: 100_000,
    description: 'Most messages one endpoint replay request looks at; a longer window is answered with next_since to go on from',
  }),
  // An OpenAPI document describes a whole API, larger than any other request: its import route alone reads this much.
  OPENAPI_IMPORT_MAX_BYTES: int({
    default: 5 * 1024 * 1024,
    min: 1024,
    description: 'Largest OpenAPI document POST …/event-types/import-openapi reads (413 above)',
  }),
  OPENAPI_IMPORT_MAX_WEBHOOKS: int({ default: 1000, min: 1, description: 'Most webhooks (event types) one OpenAPI import may hold' }),
  OPERATIONAL_WEBHOOKS_TENANT_ID: str({
    default: '',
    pattern: /^(tnt_[0-9A-HJKMNP-TV-Z]{26})?$/,
    expected: 'a tenant id (tnt_…), or empty (off)',
    description: 'The operator\'s tenant: every operational event of the other tenants becomes a message of it, delivered as a webhook to its endpoints (empty: off)',
  }),
  KAFKA_SOURCES: kafkaSourcesEnv({
    description: 'Kafka topics of your own whose records become messages of a tenant (JSON array; see the README): events your services already produce, delivered as webhooks',
  }),
  AMQP_SOURCES: amqpSourcesEnv({
    description: 'RabbitMQ (AMQP 0-9-1) queues of your own whose messages become messages of a tenant (JSON array; see the README); their URLs hold passwords, so set it from a secret',
  }),
  // The dispatcher's variables, with its defaults: a preview (POST …/transformations/preview) should succeed or fail
  // as a delivery would. One worker process serves previews; a preview past its deadline fails alone.
  TRANSFORMATION_TIMEOUT_MS: int({
    default: 250, min: 10, max: 10_000,
    description: 'Longest a transformation preview may run (set it as the dispatcher\'s, so a preview fails where a delivery would)',
  }),
  TRANSFORMATION_MAX_MEMORY_MB: int({ default: 64, min: 16, max: 2048, description: 'Heap of the worker running transformation previews (as the dispatcher\'s)' }),
  TRANSFORMATION_MAX_BODY_BYTES: int({ default: 1_048_576, min: 1024, description: 'Largest body a transformation preview may make (as the dispatcher\'s)' }),
  // The consumer portal: a page this service serves at /portal, for a tenant's own users, opened with a portal session's
  // link. It reads through the query service, which browsers reach at PORTAL_QUERY_URL (CORS_ORIGINS there allows it).
  PORTAL_URL: str({
    default: '',
    pattern: /^(https?:\/\/\S+)?$/,
    expected: 'an http(s) URL, or empty',
    description: 'Where browsers reach the portal page (https://hooks.example.com/portal); portal session links start with it. Empty: http://127.0.0.1:<PORT>/portal',
  }),
  // HTTP sources: providers POST webhooks to <PUBLIC_URL>/ingest/<source id>, the ingest_url every source answer shows.
  PUBLIC_URL: str({
    default: '',
    pattern: /^(https?:\/\/[^\s/?#]+(\/[^\s?#]*)?)?$/,
    expected: 'an http(s) URL without query or fragment, or empty',
    description: 'Where webhook providers reach this service (https://hooks.example.com): HTTP sources\' ingest_url starts with it. Empty: the origin the request creating or changing the source was sent to',
  }),
  // A refused request costs one event on the operational topic up to this, then only a count: a sender hammering a
  // source with bad signatures cannot flood the log, and the first refusals of a misconfigured secret are all there.
  SOURCE_REFUSALS_RECORDED_PER_MINUTE: int({
    default: 20, min: 0, max: 10_000,
    description: 'Requests an HTTP source refused that are recorded (source.request_refused.v1, GET /v1/sources/{id}/refused-requests), at most this many per source and minute from each instance; 0: none',
  }),
  PORTAL_QUERY_URL: url({
    protocols: ['http', 'https'],
    default: 'http://127.0.0.1:3001',
    description: "Where browsers reach the query service's REST API, for the portal page",
  }),
  // The portal wears the platform's brand, not Hookline's: its customers see it, often inside the platform's product.
  PORTAL_TITLE: str({
    default: 'Webhooks', pattern: TITLE, expected: 'one line of 1 to 60 characters',
    description: 'The portal\'s title, in its top bar and browser tab',
  }),
  PORTAL_ACCENT_COLOR: str({
    default: '', pattern: ACCENT_COLOR, expected: 'a colour as #rrggbb, or empty',
    description: 'The portal\'s accent colour (buttons, links, selection); shades for hover and the dark theme are derived from it. Empty: the page\'s own blue',
  }),
  PORTAL_LOGO_URL: str({
    default: '', pattern: LOGO_URL, expected: 'an https:// image URL, a data:image/…;base64 URL, or empty',
    description: 'A logo shown in the portal\'s top bar instead of its mark (30 px high); the page\'s CSP allows its origin',
  }),
  PORTAL_THEME: oneOf(['auto', 'light', 'dark'], {
    default: 'auto',
    description: 'The portal\'s theme when the link does not ask for one (…/portal?theme=dark#token=…); auto follows the browser',
  }),
  // A portal session is in the hands of the tenant's own users, outside the platform: it gets a rate limit of its own
  // even where the platform's keys have none. The page itself makes a few requests a second at most.
  PORTAL_SESSION_RATE_LIMIT_PER_SECOND: int({
    default: 20, min: 0, max: 100_000,
    description: 'Requests per second one portal session may make to each service (0: as any key, DEFAULT_RATE_LIMIT_PER_SECOND)',
  }),
  PORTAL_SESSION_MAX_SECONDS: int({
    default: 7 * 24 * 3600, min: 60, max: 90 * 24 * 3600,
    description: 'Longest a portal session (its link) may be asked to last',
  }),
  TRUST_PROXY: bool({ default: false, description: 'Take the client IP from X-Forwarded-For (behind a trusted proxy)' }),
  // Only while messages come closer together than this (Kafka's own producers linger 5 ms since Kafka 4.0). At a few
  // hundred messages a second, each produce otherwise carried one message, and woke each consumer of the topic for one
  // fetch: at 420 msg/s in bench probes, lingering halved the dispatcher's fetches and cut the broker's CPU per
  // delivery by a quarter. Slower traffic is not held back: a linger would only delay it (2 ms of REST p50 at 20 msg/s).
  APPEND_LINGER_MS: int({
    default: 5,
    min: 0,
    max: 100,
    description: 'How long an accepted message waits for company before one Kafka produce, while messages arrive closer together than this (0: only what arrived in the same event-loop turn); it is on the 202 path',
  }),
  // Kafka's producer keeps trying for about a minute (a leader election takes seconds); a client, a load balancer
  // (often 60 s) or a proxy gives up before that. A command answers 503 at this deadline instead: not acknowledged, but
  // maybe appended after all, which a retry with the same Idempotency-Key resolves without a second event.
  APPEND_TIMEOUT_MS: int({
    default: 10_000,
    min: 100,
    description: 'How long a command waits for Kafka to acknowledge its events before it answers 503 (the append goes on; retry with the same Idempotency-Key)',
  }),
  METRICS_TENANT_SERIES_LIMIT: int({
    default: 1000,
    min: 0,
    description: 'Most tenants given their own published-messages series on /metrics; the rest are counted as tenant="other"',
  }),
};
