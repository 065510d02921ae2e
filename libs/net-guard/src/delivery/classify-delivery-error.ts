import { DnsLookupError } from '../agent/dns-lookup.error';
import { SsrfRefusedError } from '../agent/ssrf-refused.error';
import { DeliveryError, DeliveryErrorClass } from './delivery.error';

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  // The egress proxy refused or failed the CONNECT tunnel (see ProxyTunnelError): nothing reached the receiver.
  'HOOKLINE_PROXY_TUNNEL',
]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA', 'ESERVFAIL']);
// OpenSSL's certificate-verification codes, as Node reports them.
const TLS_CODES = new Set([
  'EPROTO',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
]);

interface Failure {
  error: unknown;
  origin: string;
  timeoutMs: number;
  /** Whether the attempt's own overall deadline fired; that decides `timeout` whatever undici reports. */
  deadlinePassed: boolean;
}

/** Maps whatever undici, Node or the guarded connector threw to a {@link DeliveryError}. */
export function classifyDeliveryError({ error, origin, timeoutMs, deadlinePassed }: Failure): DeliveryError {
  const errorClass = classOf(error, deadlinePassed);
  return new DeliveryError(errorClass, describe(errorClass, error, origin, timeoutMs), { cause: error });
}

function classOf(error: unknown, deadlinePassed: boolean): DeliveryErrorClass {
  if (error instanceof SsrfRefusedError) return 'ssrf_refused';
  if (deadlinePassed) return 'timeout';
  if (error instanceof DnsLookupError) return 'dns';
  const code = codeOf(error);
  if (TIMEOUT_CODES.has(code) || fieldOf(error, 'name') === 'TimeoutError') return 'timeout';
  return connectionErrorClass(code) ?? 'network';
}

/**
 * The class of a socket's error code, for clients other than undici that keep only the code of what failed (kafkajs
 * wraps every socket error in its own): the guarded connection's own codes (`SSRF_REFUSED`, `DNS_LOOKUP_FAILED`), the
 * OS's connect and resolver codes, and OpenSSL's. Undefined for a code that says nothing about where it failed.
 */
export function connectionErrorClass(code: string): Exclude<DeliveryErrorClass, 'timeout' | 'redirect' | 'network'> | undefined {
  if (code === 'SSRF_REFUSED') return 'ssrf_refused';
  if (code === 'DNS_LOOKUP_FAILED' || DNS_CODES.has(code)) return 'dns';
  if (CONNECT_CODES.has(code)) return 'connect';
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.startsWith('CERT_')) return 'tls';
  return undefined;
}

// Duck-typed rather than `instanceof Error`: errors raised by Node core can come from another realm (vm contexts,
// test sandboxes). Node's happy-eyeballs connect reports an AggregateError whose members carry the codes.
function codeOf(error: unknown): string {
  const code = fieldOf(error, 'code');
  if (code !== '') return code;
  const members = typeof error === 'object' && error !== null ? (error as { errors?: unknown }).errors : undefined;
  return Array.isArray(members) && members.length > 0 ? codeOf(members[0]) : '';
}

function fieldOf(error: unknown, field: 'code' | 'name' | 'message' | 'reason'): string {
  const value = typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : '';
}

function describe(errorClass: DeliveryErrorClass, error: unknown, origin: string, timeoutMs: number): string {
  const detail = fieldOf(error, 'message') || String(error);
  switch (errorClass) {
    case 'ssrf_refused':
    case 'dns':
      return detail;
    case 'timeout':
      return `${origin} did not complete its response within ${timeoutMs} ms`;
    case 'connect':
      return `could not connect to ${origin}: ${detail}`;
    case 'tls':
      // OpenSSL's own messages carry its error stack and source file; Node also gives the reason alone.
      return `TLS with ${origin} failed: ${fieldOf(error, 'reason') || detail}`;
    case 'network':
      return `connection to ${origin} failed: ${detail}`;
    case 'redirect':
      return `${origin} answered with a redirect, which is not followed`;
    default: {
      const unhandled: never = errorClass;
      return unhandled;
    }
  }
}
