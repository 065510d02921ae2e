/** One broker of a Kafka destination: the host as WHATWG parsing normalises it (a name or an IPv4 address) and its port. */
export interface KafkaBroker {
  host: string;
  port: number;
}

/** Where a Kafka destination's records go: a topic on a cluster reached through these bootstrap brokers. */
export interface KafkaDestination {
  /** `kafka+tls://`: TLS with certificate checks; `kafka://`: plaintext. */
  tls: boolean;
  /** Bootstrap brokers, in the order given; the cluster's metadata may name others. */
  brokers: KafkaBroker[];
  topic: string;
}

/** `url` is the normalised form (scheme lower-cased, hosts as WHATWG normalises them): store that one. */
export type KafkaUrlParse = { ok: true; destination: KafkaDestination; url: string } | { ok: false; errors: string[] };

const SCHEME = /^(kafka|kafka\+tls):\/\//i;
const PLAINTEXT_SCHEME = /^kafka:\/\//i;
// Kafka's own rule for topic names (Topic.validate): legal characters, at most 249, and neither "." nor "..".
const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;
const EXAMPLE = 'kafka+tls://broker-1.example.com:9093,broker-2.example.com:9093/webhooks';

/** Whether the URL names a Kafka destination (`kafka://` or `kafka+tls://`) rather than an http(s) endpoint. */
export function isKafkaUrl(url: string): boolean {
  return SCHEME.test(url);
}

/**
 * Whether the URL names a plaintext Kafka destination (`kafka://`): records, signatures, headers and any SASL handshake
 * would cross the network readable, so it is taken only where plain http is (ALLOW_HTTP_ENDPOINTS).
 */
export function isPlaintextKafkaUrl(url: string): boolean {
  return PLAINTEXT_SCHEME.test(url);
}

/**
 * Parses `kafka[+tls]://host:port[,host:port…]/topic` and returns every problem at once. WHATWG URL parsing cannot do
 * it (a comma-separated authority is not a host), so each broker is parsed on its own as an http authority: that
 * normalises IP literals in every spelling (decimal, octal, hex, short) the way an https URL's host is, before an
 * address policy judges them. No credentials (SASL credentials are the endpoint's `auth`, never in its URL, which is
 * shown and logged), no query or fragment, an explicit port on every broker (Kafka has no default port), no IPv6
 * literal, and one topic name as Kafka accepts it.
 */
export function parseKafkaUrl(url: string): KafkaUrlParse {
  const scheme = SCHEME.exec(url);
  if (!scheme) return { ok: false, errors: [`a Kafka destination URL starts with kafka+tls:// or kafka:// (expected e.g. ${EXAMPLE})`] };
  const rest = url.slice(scheme[0].length);
  const errors: string[] = [];
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const tail = end === -1 ? '' : rest.slice(end);
  if (authority.includes('@')) {
    errors.push("Kafka destination URL must not contain a user name or password (give SASL credentials as the endpoint's auth, type kafka_sasl)");
  }
  const brokers = authority.includes('@') ? [] : parseBrokers(authority, errors);
  const query = tail.search(/[?#]/);
  if (query !== -1) errors.push('Kafka destination URL must not have a query or fragment');
  const topic = (query === -1 ? tail : tail.slice(0, query)).replace(/^\//, '');
  if (!TOPIC.test(topic) || topic === '.' || topic === '..') {
    errors.push(`Kafka destination URL must end with /<topic>, a topic name of 1 to 249 characters of a-z, A-Z, 0-9, ".", "_" and "-" (expected e.g. ${EXAMPLE})`);
  }
  if (errors.length > 0) return { ok: false, errors };
  const tls = scheme[1].toLowerCase() === 'kafka+tls';
  const hosts = brokers.map((b) => `${b.host}:${b.port}`).join(',');
  return { ok: true, destination: { tls, brokers, topic }, url: `${tls ? 'kafka+tls' : 'kafka'}://${hosts}/${topic}` };
}

function parseBrokers(authority: string, errors: string[]): KafkaBroker[] {
  const brokers: KafkaBroker[] = [];
  const entries = authority.split(',');
  if (authority === '') {
    errors.push('Kafka destination URL must name at least one broker as host:port');
    return brokers;
  }
  for (const entry of entries) {
    const parsed = URL.canParse(`http://${entry}`) ? new URL(`http://${entry}`) : undefined;
    // The port must be written: a WHATWG parse drops an http default (:80), so it is read from the entry itself.
    const port = Number(entry.slice(entry.lastIndexOf(':') + 1));
    if (!parsed || parsed.hostname === '' || parsed.pathname !== '/' || !/:\d{1,5}$/.test(entry) || port === 0) {
      errors.push(`Kafka broker "${entry}" is not host:port (port 1-65535)`);
      continue;
    }
    // kafkajs splits broker addresses at the first colon: an IPv6 literal would be dialled as a different host.
    if (parsed.hostname.startsWith('[')) {
      errors.push(`Kafka broker "${entry}": IPv6 literals are not supported; name the broker by a host name or an IPv4 address`);
      continue;
    }
    brokers.push({ host: parsed.hostname, port });
  }
  return brokers;
}
