/** Where an AMQP destination's messages go: an exchange in a virtual host of one RabbitMQ (or other AMQP 0-9-1) broker. */
export interface AmqpDestination {
  /** `amqps://`: TLS with certificate checks; `amqp://`: plaintext. */
  tls: boolean;
  /** The host as WHATWG parsing normalises it: a name, an IPv4 address, or an IPv6 address without brackets. */
  host: string;
  /** The port given, else AMQP's own: 5671 with TLS, 5672 without. */
  port: number;
  /** The virtual host, decoded (`/` is the broker's default one). */
  vhost: string;
  exchange: string;
  /** The routing key every message gets; null: each message's event type. */
  routingKey: string | null;
}

/** `url` is the normalised form (scheme lower-cased, host as WHATWG normalises it, query in a fixed order): store that one. */
export type AmqpUrlParse = { ok: true; destination: AmqpDestination; url: string } | { ok: false; errors: string[] };

const SCHEME = /^(amqp|amqps):\/\//i;
const PLAINTEXT_SCHEME = /^amqp:\/\//i;
const EXAMPLE = 'amqps://rabbit.example.com/orders?exchange=webhooks';
// AMQP 0-9-1 carries names as short strings (at most 255 bytes); the exchange name grammar is the spec's.
const MAX_SHORT_STRING_BYTES = 255;
const EXCHANGE = /^[a-zA-Z0-9_.:-]+$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const QUERY_FIELDS = new Set(['exchange', 'routing_key']);

/** Whether the URL names an AMQP destination (`amqp://` or `amqps://`) rather than an http(s) endpoint. */
export function isAmqpUrl(url: string): boolean {
  return SCHEME.test(url);
}

/**
 * Whether the URL names a plaintext AMQP destination (`amqp://`): messages, signatures, headers and the PLAIN login
 * would cross the network readable, so it is taken only where plain http is (ALLOW_HTTP_ENDPOINTS).
 */
export function isPlaintextAmqpUrl(url: string): boolean {
  return PLAINTEXT_SCHEME.test(url);
}

/**
 * Parses `amqp[s]://host[:port][/vhost]?exchange=<name>[&routing_key=<key>]` and returns every problem at once. The
 * authority is parsed as an http one, so IP literals in every spelling are normalised before an address policy judges
 * them. No credentials (they are the endpoint's `amqp_plain` auth, never in its URL, which is shown and logged and
 * travels in the clear on the config topic), at most one path segment (the vhost, percent-encoded as RabbitMQ's own URI
 * scheme has it: `%2F` for a vhost named `/`), an exchange name as the AMQP grammar allows (a publish to the nameless
 * default exchange would route by queue name, so an exchange is required), an optional routing key, nothing else in the
 * query and no fragment.
 */
export function parseAmqpUrl(url: string): AmqpUrlParse {
  const scheme = SCHEME.exec(url);
  if (!scheme) return { ok: false, errors: [`an AMQP destination URL starts with amqps:// or amqp:// (expected e.g. ${EXAMPLE})`] };
  const tls = scheme[1].toLowerCase() === 'amqps';
  const rest = url.slice(scheme[0].length);
  const errors: string[] = [];
  const fragment = rest.indexOf('#');
  if (fragment !== -1) errors.push('AMQP destination URL must not have a fragment');
  const beforeFragment = fragment === -1 ? rest : rest.slice(0, fragment);
  const queryStart = beforeFragment.indexOf('?');
  const query = queryStart === -1 ? '' : beforeFragment.slice(queryStart + 1);
  const beforeQuery = queryStart === -1 ? beforeFragment : beforeFragment.slice(0, queryStart);
  const pathStart = beforeQuery.indexOf('/');
  const authority = pathStart === -1 ? beforeQuery : beforeQuery.slice(0, pathStart);
  const path = pathStart === -1 ? '' : beforeQuery.slice(pathStart);

  const server = parseAuthority(authority, tls, errors);
  const vhost = parseVhost(path, errors);
  const { exchange, routingKey } = parseQuery(query, errors);
  if (errors.length > 0 || !server || vhost === undefined || exchange === undefined) return { ok: false, errors };
  const destination: AmqpDestination = { tls, host: server.host, port: server.port, vhost, exchange, routingKey };
  return { ok: true, destination, url: amqpUrlOf(destination, server.explicitPort) };
}

function parseAuthority(authority: string, tls: boolean, errors: string[]): { host: string; port: number; explicitPort: boolean } | undefined {
  if (authority.includes('@')) {
    errors.push("AMQP destination URL must not contain a user name or password (give them as the endpoint's auth, type amqp_plain)");
    return undefined;
  }
  const parsed = authority !== '' && URL.canParse(`http://${authority}`) ? new URL(`http://${authority}`) : undefined;
  // The port is read from the authority itself: a WHATWG parse drops :80, an http default that AMQP does not share.
  const portMatch = /:(\d{1,5})$/.exec(authority);
  const port = portMatch ? Number(portMatch[1]) : tls ? 5671 : 5672;
  if (!parsed || parsed.hostname === '' || parsed.pathname !== '/' || port < 1 || port > 65535 || (!portMatch && /:[^\]]*$/.test(authority))) {
    errors.push(`AMQP destination URL must name the broker as host or host:port (port 1-65535), not "${authority}" (expected e.g. ${EXAMPLE})`);
    return undefined;
  }
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port, explicitPort: portMatch !== null };
}

function parseVhost(path: string, errors: string[]): string | undefined {
  if (path === '' || path === '/') return '/';
  const segment = path.slice(1);
  let vhost: string;
  try {
    vhost = decodeURIComponent(segment);
  } catch {
    errors.push('AMQP destination URL: the virtual host is not valid percent-encoding');
    return undefined;
  }
  if (segment.includes('/')) {
    errors.push('AMQP destination URL has one path segment, the virtual host (encode a "/" in its name as %2F)');
    return undefined;
  }
  if (Buffer.byteLength(vhost) > MAX_SHORT_STRING_BYTES || CONTROL.test(vhost)) {
    errors.push(`AMQP destination URL: the virtual host must be at most ${MAX_SHORT_STRING_BYTES} bytes without control characters`);
    return undefined;
  }
  return vhost;
}

function parseQuery(query: string, errors: string[]): { exchange?: string; routingKey: string | null } {
  const params = new URLSearchParams(query);
  for (const name of new Set(params.keys())) {
    if (!QUERY_FIELDS.has(name)) errors.push(`AMQP destination URL: unknown query parameter "${name}" (only exchange and routing_key)`);
    else if (params.getAll(name).length > 1) errors.push(`AMQP destination URL: ${name} is given more than once`);
  }
  const exchange = params.get('exchange');
  const routingKey = params.get('routing_key');
  let validExchange: string | undefined;
  if (exchange === null || exchange === '') {
    errors.push(`AMQP destination URL must name the exchange to publish to: ?exchange=<name> (expected e.g. ${EXAMPLE})`);
  } else if (!EXCHANGE.test(exchange) || exchange.length > MAX_SHORT_STRING_BYTES) {
    errors.push(`AMQP destination URL: exchange "${exchange}" must be 1 to ${MAX_SHORT_STRING_BYTES} characters of a-z, A-Z, 0-9, "-", "_", "." and ":"`);
  } else {
    validExchange = exchange;
  }
  if (routingKey !== null && (routingKey === '' || Buffer.byteLength(routingKey) > MAX_SHORT_STRING_BYTES || CONTROL.test(routingKey))) {
    errors.push(`AMQP destination URL: routing_key must be 1 to ${MAX_SHORT_STRING_BYTES} bytes without control characters (leave it out to route by event type)`);
  }
  return { exchange: validExchange, routingKey };
}

function amqpUrlOf(d: AmqpDestination, explicitPort: boolean): string {
  const host = d.host.includes(':') ? `[${d.host}]` : d.host;
  const path = d.vhost === '/' ? '' : `/${encodeURIComponent(d.vhost)}`;
  const query = new URLSearchParams({ exchange: d.exchange, ...(d.routingKey === null ? {} : { routing_key: d.routingKey }) });
  return `${d.tls ? 'amqps' : 'amqp'}://${host}${explicitPort ? `:${d.port}` : ''}${path}?${query.toString()}`;
}
