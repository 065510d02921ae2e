import { COMMON_ENV, ConfigOf, EnvVar, int, list, port, secondsList, str, loadConfig, url } from '@hookline/config';


/** A decimal number within bounds (config's `int` only takes integers; ratios and fractional hours need more). */
function decimal(opts: { description: string; default: number; min: number; max?: number }): EnvVar<number> {
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  return {
    description: opts.description,
    default: opts.default,
    expected: `a number >= ${opts.min}${opts.max !== undefined ? ` and <= ${max}` : ''}`,
    parse(raw) {
      const n = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(n) || n < opts.min || n > max) throw new Error('out of range');
      return n;
    },
  };
}

/**
 * The retry schedule. Its first entry stands for the first attempt, which goes as the message arrives (the fast path
 * never waits), so it must be 0: any other value would be silently ignored, and a deployment that meant to delay
 * first attempts would not find out.
 */
function retrySchedule(opts: { description: string; default: number[] }): EnvVar<number[]> {
  const seconds = secondsList(opts);
  return {
    ...seconds,
    expected: 'a comma-separated list of non-negative numbers of seconds whose first is 0 (the first attempt goes at once)',
    parse(raw) {
      const schedule = seconds.parse(raw);
      if (schedule[0] !== 0) throw new Error('the first attempt is never delayed');
      return schedule;
    },
  };
}

export const DISPATCHER_ENV = {
  ...COMMON_ENV,
  PORT: port({ default: 3002, description: 'HTTP port of /healthz, /readyz and /metrics' }),
  SSRF_ALLOW_CIDRS: list({
    default: [],
    description: 'CIDRs exempt from the SSRF guard (tests: 127.0.0.1/32); everything private stays refused otherwise',
  }),
  RETRY_SCHEDULE_SECONDS: retrySchedule({
    default: [0, 5, 300, 1800, 7200, 18000, 36000, 36000],
    description:
      'Delay before each attempt, counted from the end of the previous one. Entry 1 is the first attempt and must be 0 ' +
      '(it goes as the message arrives); entry n+1 is the wait after attempt n failed. Its length is the number of ' +
      'attempts (default 8).',
  }),
  RETRY_JITTER: decimal({ default: 0.2, min: 0, max: 1, description: 'Each retry delay is scaled by a random factor in [1-j, 1+j]' }),
  DELIVERY_TIMEOUT_MS: int({ default: 15000, min: 100, description: 'Total time one HTTP attempt may take' }),
  CONNECT_TIMEOUT_MS: int({ default: 5000, min: 50, description: 'Time to open the TCP/TLS connection of an attempt' }),
  // Transformations run in worker processes (libs/transform): an expression that loops or hoards memory stops its own
  // worker and fails its own attempt; deliveries to endpoints without one never wait for them.
  TRANSFORMATION_TIMEOUT_MS: int({
    default: 250, min: 10, max: 10_000,
    description: "Longest an endpoint's transformation may run for one attempt; past it the attempt fails (error class transformation) and is retried on its schedule",
  }),
  TRANSFORMATION_THREADS: int({ default: 1, min: 1, max: 16, description: 'Worker processes running endpoints\' transformations (started when first needed)' }),
  TRANSFORMATION_MAX_MEMORY_MB: int({ default: 64, min: 16, max: 2048, description: 'Heap of each transformation worker; an expression needing more fails its attempt' }),
  TRANSFORMATION_MAX_BODY_BYTES: int({ default: 1_048_576, min: 1024, description: 'Largest body a transformation may make' }),
  MIN_DELAY_AFTER_THROTTLE_SECONDS: decimal({
    default: 60,
    min: 0,
    description: 'Least wait before retrying after a 429 or a timeout (the endpoint is overloaded)',
  }),
  RETRY_AFTER_MAX_SECONDS: decimal({ default: 36000, min: 0, description: 'Longest Retry-After honoured; longer values are capped' }),
  ENDPOINT_MAX_IN_FLIGHT: int({ default: 16, min: 1, description: 'Attempts in flight to one endpoint (per-endpoint max_in_flight overrides)' }),
  GLOBAL_MAX_IN_FLIGHT: int({
    default: 512,
    min: 1,
    description: 'Fast-path attempts holding Kafka offsets at once; the consumer waits when this many are open',
  }),
  EVENT_LINGER_MS: int({
    default: 10, min: 0, max: 1000,
    description: 'How long attempt and outcome events wait for company before one Kafka produce; they follow the webhook (not on its path), so a longer wait costs only read-model lag and saves requests',
  }),
  PARK_AFTER_MS: int({
    default: 2000,
    min: 10,
    description: 'A first attempt still running, or a delivery still waiting for a free slot of its endpoint, after this long is parked in Postgres so the Kafka offset can advance',
  }),
  BREAKER_WINDOW_SECONDS: decimal({ default: 300, min: 0.1, description: 'Sliding window over which the failure ratio is measured' }),
  BREAKER_MIN_VOLUME: int({ default: 10, min: 1, description: 'Attempts in the window before the breaker may open' }),
  BREAKER_FAILURE_RATIO: decimal({ default: 0.7, min: 0.01, max: 1, description: 'Failure ratio that opens the breaker' }),
  BREAKER_OPEN_SECONDS: decimal({ default: 60, min: 0.05, description: 'How long an open breaker rejects before one probe goes' }),
  BREAKER_SYNC_MS: int({
    default: 1000, min: 50, max: 60_000,
    description: "How often an instance reads the circuit breakers held across instances (another instance's open, probe or close reaches it within this)",
  }),
  AUTO_DISABLE_AFTER_HOURS: decimal({ default: 120, min: 0, description: 'Continuous failure after which an endpoint is disabled' }),
  ALERT_FAILING_AFTER_ATTEMPTS: int({
    default: 4, min: 0,
    description: 'Raise delivery.attempts_failing.v1 when this attempt of a delivery fails and it will be retried, and delivery.recovered.v1 when it succeeds later (0 = never)',
  }),
  IN_FLIGHT_SHARE_RENEW_MS: int({
    default: 1000, min: 50, max: 60_000,
    description: "How often an instance renews its shares of endpoints' max_in_flight (held across instances) and gives back what it no longer needs",
  }),
  PARKED_RECHECK_MS: int({ default: 1000, min: 10, description: 'When a parked delivery blocked by an in-flight cap is looked at again' }),
  RETRY_POLL_INTERVAL_MS: int({ default: 1000, min: 10, description: 'How often the retry worker looks for due deliveries' }),
  RETRY_CLAIM_BATCH: int({ default: 200, min: 1, description: 'Most due deliveries claimed in one query' }),
  RETRY_CONCURRENCY: int({ default: 128, min: 1, description: 'Attempts the retry worker runs at once' }),
  DEAD_ROW_RETENTION_DAYS: decimal({
    default: 30,
    min: 0,
    description: 'Dead-lettered deliveries stay in the retry store (where recover can restart them) this long; 0 keeps them forever',
  }),
  DEAD_ROW_PURGE_INTERVAL_MS: int({ default: 10 * 60_000, min: 100, description: 'How often dead rows past DEAD_ROW_RETENTION_DAYS are removed' }),
  CLIENT_CERT_WARN_DAYS: int({
    default: 14, min: 0, description: 'Raise endpoint.client_certificate_expiring.v1 when an endpoint\'s client certificate has fewer days left than this (0 = never)',
  }),
  CLIENT_CERT_CHECK_INTERVAL_MS: int({ default: 60 * 60_000, min: 100, description: 'How often client certificates are checked for expiry' }),
  KAFKA_SESSION_TIMEOUT_MS: int({
    default: 10000,
    min: 6000,
    description: 'Consumer session timeout: how soon a crashed instance\'s partitions move to another one',
  }),
  COMMIT_INTERVAL_MS: int({ default: 200, min: 10, description: 'How often contiguous finished offsets are committed' }),
  CONSUMER_GROUP_ID: str({ default: 'hookline-dispatcher', description: 'Consumer group of the messages topic' }),
  INSTANCE_ID: str({ default: '', description: 'Name of this instance in retry-row leases (default: hostname-pid)' }),
  METRICS_ENDPOINT_SERIES_LIMIT: int({
    default: 100,
    min: 0,
    description: 'Most endpoints given their own breaker-state series on /metrics (only open or half-open ones get one)',
  }),
  DELIVERY_PROXY_URL: url({
    default: '',
    protocols: ['http'],
    description: 'http://[user:password@]host:port of an HTTP CONNECT proxy every webhook and token request leaves through (static egress addresses); '
      + 'endpoint names are still resolved and vetted by the dispatcher, and the proxy is asked for the vetted address',
  }),
  DELIVERY_EXTRA_CA_FILE: str({
    default: '',
    description: 'PEM file of certificate authorities trusted for https endpoints, kafka+tls:// and amqps:// destinations besides the public ones (a private PKI, mutual-TLS endpoints)',
  }),
  KAFKA_DESTINATION_IDLE_MS: int({
    default: 60_000, min: 1000,
    description: 'A producer to an endpoint\'s Kafka cluster (a kafka+tls:// or kafka:// endpoint URL) that no attempt used for this long is disconnected',
  }),
  KAFKA_DESTINATION_MAX_PRODUCERS: int({
    default: 500, min: 1,
    description: 'At most this many Kafka destination producers connected at once (one per cluster and identity): the longest idle one is disconnected to make room, else the attempt fails and is retried',
  }),
  AMQP_DESTINATION_IDLE_MS: int({
    default: 60_000, min: 1000,
    description: 'A connection to an endpoint\'s AMQP broker (an amqps:// or amqp:// endpoint URL) that no attempt used for this long is closed',
  }),
  AMQP_DESTINATION_MAX_CONNECTIONS: int({
    default: 500, min: 1,
    description: 'At most this many AMQP destination connections open at once (one per broker, vhost and login): the longest idle one is closed to make room, else the attempt fails and is retried',
  }),
  USER_AGENT: str({ default: '', description: 'User-Agent of webhook requests (default Hookline/<version>)' }),
} as const;

export type DispatcherConfig = ConfigOf<typeof DISPATCHER_ENV>;

/** Reads the dispatcher's environment; throws ConfigError naming the first bad variable. */
export function loadDispatcherConfig(env: NodeJS.ProcessEnv = process.env): DispatcherConfig {
  const config = loadConfig(DISPATCHER_ENV, env);
  if (config.RETRY_SCHEDULE_SECONDS.length === 0) throw new Error('RETRY_SCHEDULE_SECONDS needs at least one entry (the first attempt)');
  return config;
}
