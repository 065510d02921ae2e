/**
 * @hookline/net-guard — outbound HTTP for webhook delivery that cannot be aimed at internal addresses: an address
 * policy, the endpoint-URL check run when an endpoint is created, an undici agent that connects only to vetted
 * addresses, and the POST helper the dispatcher uses for each attempt; for Kafka destinations, their URL parser and a
 * kafkajs socket factory under the same policy; for AMQP destinations, their URL parser and a resolver that vets the
 * broker's address under it.
 */

/** Defaults for timeouts, pool size and response capture; override them from the dispatcher's configuration. */
export { NET_GUARD_DEFAULTS } from './net-guard.defaults';

/** The SSRF address policy: `createAddressPolicy({ allowCidrs })` → `{ check(ip), checkHostname(name) }`. */
export { createAddressPolicy } from './policy/address-policy';
/** Options and shape of the address policy. */
export type { AddressPolicy, AddressPolicyOptions } from './policy/address-policy';
/** `{ allowed: true }` or `{ allowed: false, reason }`. */
export type { AddressVerdict } from './policy/address-verdict';
/** Parses `SSRF_ALLOW_CIDRS` (comma-separated CIDR ranges) into `allowCidrs`, with errors naming the bad entry. */
export { allowCidrsFromEnv } from './policy/allow-cidrs';

/** Creation-time endpoint URL validation: `checkEndpointUrl(url, { allowHttp, policy })` → ok + normalised URL, or errors. */
export { checkEndpointUrl } from './url/check-endpoint-url';
/** Options and result of `checkEndpointUrl`. */
export type { EndpointUrlCheck, EndpointUrlCheckOptions } from './url/check-endpoint-url';

/**
 * Kafka destinations: `isKafkaUrl(url)` and `parseKafkaUrl(url)` → `{ tls, brokers, topic }` + the normalised URL, or
 * every problem with it (checkEndpointUrl with `allowKafka` adds the address policy and the plaintext rule).
 */
export { isKafkaUrl, isPlaintextKafkaUrl, parseKafkaUrl } from './url/kafka-url';
/** A parsed Kafka destination, its brokers, and the parse result. */
export type { KafkaBroker, KafkaDestination, KafkaUrlParse } from './url/kafka-url';

/**
 * AMQP destinations: `isAmqpUrl(url)` and `parseAmqpUrl(url)` → `{ tls, host, port, vhost, exchange, routingKey }` +
 * the normalised URL, or every problem with it (checkEndpointUrl with `allowAmqp` adds the address policy and the
 * plaintext rule).
 */
export { isAmqpUrl, isPlaintextAmqpUrl, parseAmqpUrl } from './url/amqp-url';
/** A parsed AMQP destination and the parse result. */
export type { AmqpDestination, AmqpUrlParse } from './url/amqp-url';

/**
 * `createVettedAddressResolver({ policy })` → `(host) => Promise<address>`: the one address a client that opens its own
 * sockets (amqplib) may dial, judged and resolved once; rejects with `SsrfRefusedError` or `DnsLookupError`.
 */
export { createVettedAddressResolver } from './agent/vetted-address-resolver';
/** Options and shape of the vetted address resolver. */
export type { VettedAddressResolver, VettedAddressResolverOptions } from './agent/vetted-address-resolver';

/**
 * A kafkajs `socketFactory` whose every connection (bootstrap and advertised brokers alike) goes only to an address the
 * policy allows, resolved once; a refused one fails with `SsrfRefusedError` and never connects.
 */
export { createGuardedSocketFactory } from './agent/guarded-socket-factory';
/** Options, arguments and shape of the guarded socket factory. */
export type { GuardedSocketFactory, GuardedSocketFactoryOptions, SocketFactoryArgs } from './agent/guarded-socket-factory';

/** The undici Agent that resolves once, vets every address and connects only to the vetted one. */
export { createGuardedAgent } from './agent/guarded-agent';
/** Options of `createGuardedAgent`. */
export type { GuardedAgentOptions } from './agent/guarded-agent';
/** The resolver shape the guarded agent calls (dns.lookup with `all: true`), and the system default. */
export { systemLookup } from './agent/guarded-lookup';
/** Resolver callback type accepted by `createGuardedAgent({ lookup })`. */
export type { GuardedLookup } from './agent/guarded-lookup';
/** Thrown into the request when the policy refuses a host or address (`code: 'SSRF_REFUSED'`). */
export { SsrfRefusedError } from './agent/ssrf-refused.error';
/** Thrown into the request when the host does not resolve (`code: 'DNS_LOOKUP_FAILED'`). */
export { DnsLookupError } from './agent/dns-lookup.error';

/** One delivery attempt: `postWebhook(agent, { url, headers, body, timeoutMs, maxResponseBytes })`. */
export { postWebhook } from './delivery/post-webhook';
/** Request and response shapes of `postWebhook`. */
export type { WebhookRequest, WebhookResponse } from './delivery/post-webhook';
/** The classified failure `postWebhook` rejects with. */
export { DeliveryError } from './delivery/delivery.error';
/** The class of a socket error's code (SSRF_REFUSED, ECONNREFUSED, ENOTFOUND, OpenSSL's codes, …), for non-undici clients. */
export { connectionErrorClass } from './delivery/classify-delivery-error';
/** `timeout | connect | dns | ssrf_refused | redirect | tls | network`. */
export type { DeliveryErrorClass } from './delivery/delivery.error';
