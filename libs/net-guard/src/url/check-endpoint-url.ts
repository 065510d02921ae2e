import type { AddressPolicy } from '../policy/address-policy';
import { isAmqpUrl, isPlaintextAmqpUrl, parseAmqpUrl } from './amqp-url';
import { isKafkaUrl, isPlaintextKafkaUrl, parseKafkaUrl } from './kafka-url';

/** Options for {@link checkEndpointUrl}. */
export interface EndpointUrlCheckOptions {
  /** Allow plain http (`ALLOW_HTTP_ENDPOINTS=true`), for local development only. */
  allowHttp: boolean;
  policy: AddressPolicy;
  /**
   * Also accept a Kafka destination (`kafka+tls://host:port[,…]/topic`; plaintext `kafka://` only with `allowHttp`):
   * for endpoint URLs, never for a URL something is POSTed to, such as an OAuth 2.0 token URL.
   */
  allowKafka?: boolean;
  /**
   * Also accept an AMQP destination (`amqps://host[:port][/vhost]?exchange=…`; plaintext `amqp://` only with
   * `allowHttp`): for endpoint URLs only, like `allowKafka`.
   */
  allowAmqp?: boolean;
}

/** `url` is the WHATWG-normalised form (numeric hosts become dotted quads, IPv6 is compressed): store that one. */
export type EndpointUrlCheck = { ok: true; url: string } | { ok: false; errors: string[] };

/**
 * Validates an endpoint URL when it is created or changed, returning every problem at once: it must parse, use https
 * (http only with `allowHttp`), carry no credentials, and have a host the policy allows. IP literals in any form
 * (decimal, octal, hex, short, bracketed or mapped IPv6) are normalised by WHATWG parsing and then judged; `localhost`
 * names are refused unless the policy allows loopback. Names are only resolved later, by the guarded agent.
 */
export function checkEndpointUrl(url: string, options: EndpointUrlCheckOptions): EndpointUrlCheck {
  if (options.allowKafka && isKafkaUrl(url)) return checkKafkaUrl(url, options);
  if (options.allowAmqp && isAmqpUrl(url)) return checkAmqpUrl(url, options);
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed) {
    return { ok: false, errors: ['endpoint URL is not a valid absolute URL (expected e.g. https://example.com/webhooks)'] };
  }

  const errors: string[] = [];
  if (parsed.protocol === 'http:') {
    if (!options.allowHttp) {
      errors.push('endpoint URL must use https (set ALLOW_HTTP_ENDPOINTS=true for local development)');
    }
  } else if (parsed.protocol !== 'https:') {
    errors.push(`endpoint URL must use https, not ${parsed.protocol.slice(0, -1)}`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    errors.push('endpoint URL must not contain a user name or password; send credentials in a header instead');
  }
  // WHATWG parsing already turned 2130706433, 0177.0.0.1, 0x7f.1, 127.1 and full-width digits into 127.0.0.1 and
  // compressed IPv6, so the host is judged in the form the connection would use.
  if (parsed.hostname === '') {
    errors.push('endpoint URL must have a host name');
  } else {
    const verdict = options.policy.checkHostname(parsed.hostname);
    if (!verdict.allowed) errors.push(`endpoint URL host ${parsed.hostname} is not allowed: ${verdict.reason}`);
  }
  return errors.length === 0 ? { ok: true, url: parsed.href } : { ok: false, errors };
}

/**
 * A Kafka destination gets the checks of an https URL: plaintext only where plain http is allowed (the records, their
 * signatures and the custom headers would cross the network readable), no credentials, and every bootstrap broker's
 * host allowed by the policy. The brokers the cluster advertises are judged at delivery time, like every address.
 */
function checkKafkaUrl(url: string, options: EndpointUrlCheckOptions): EndpointUrlCheck {
  const parsed = parseKafkaUrl(url);
  const errors = parsed.ok ? [] : [...parsed.errors];
  if (isPlaintextKafkaUrl(url) && !options.allowHttp) {
    errors.unshift('endpoint URL must use kafka+tls:// for a Kafka destination (plaintext kafka:// needs ALLOW_HTTP_ENDPOINTS=true, for local development)');
  }
  for (const broker of parsed.ok ? parsed.destination.brokers : []) {
    const verdict = options.policy.checkHostname(broker.host);
    if (!verdict.allowed) errors.push(`Kafka broker host ${broker.host} is not allowed: ${verdict.reason}`);
  }
  return parsed.ok && errors.length === 0 ? { ok: true, url: parsed.url } : { ok: false, errors };
}

/**
 * An AMQP destination gets the checks of an https URL: plaintext only where plain http is allowed (the messages, their
 * signatures, the custom headers and the PLAIN login would cross the network readable), no credentials, and a broker
 * host the policy allows. The address it resolves to is judged at delivery time, like every address.
 */
function checkAmqpUrl(url: string, options: EndpointUrlCheckOptions): EndpointUrlCheck {
  const parsed = parseAmqpUrl(url);
  const errors = parsed.ok ? [] : [...parsed.errors];
  if (isPlaintextAmqpUrl(url) && !options.allowHttp) {
    errors.unshift('endpoint URL must use amqps:// for an AMQP destination (plaintext amqp:// needs ALLOW_HTTP_ENDPOINTS=true, for local development)');
  }
  if (parsed.ok) {
    const verdict = options.policy.checkHostname(parsed.destination.host);
    if (!verdict.allowed) errors.push(`AMQP broker host ${parsed.destination.host} is not allowed: ${verdict.reason}`);
  }
  return parsed.ok && errors.length === 0 ? { ok: true, url: parsed.url } : { ok: false, errors };
}
