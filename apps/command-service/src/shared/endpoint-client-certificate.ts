import { EndpointClientCertificateV1 } from '@hookline/contracts';
import { FieldProblem } from '@hookline/service-kit';
import { KeyObject, X509Certificate, createPrivateKey } from 'node:crypto';

/** A client certificate as a caller sends it: PEM certificate (chain) and PEM private key, the key in the clear once. */
export interface ClientCertificateInput {
  cert: string;
  key: string;
}

const FIELDS = new Set(['cert', 'key']);
const MAX_CERT_CHARS = 64 * 1024;
const MAX_KEY_CHARS = 16 * 1024;

type Parsed = { ok: true; x509: X509Certificate; key: KeyObject } | { ok: false; problems: FieldProblem[] };

function parse(input: unknown, now: Date): Parsed {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problems: [{ pointer: '/client_certificate', detail: 'must be an object with cert and key (PEM), or null' }] };
  }
  const c = input as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  for (const field of Object.keys(c)) if (!FIELDS.has(field)) problems.push({ pointer: `/client_certificate/${field}`, detail: 'is not a field of client_certificate' });
  let x509: X509Certificate | undefined;
  let key: KeyObject | undefined;
  if (typeof c.cert !== 'string' || c.cert.length > MAX_CERT_CHARS) {
    problems.push({ pointer: '/client_certificate/cert', detail: `must be a PEM certificate of at most ${MAX_CERT_CHARS} characters` });
  } else {
    try {
      x509 = new X509Certificate(c.cert);
    } catch {
      problems.push({ pointer: '/client_certificate/cert', detail: 'is not a PEM certificate' });
    }
  }
  if (typeof c.key !== 'string' || c.key.length > MAX_KEY_CHARS) {
    problems.push({ pointer: '/client_certificate/key', detail: `must be a PEM private key of at most ${MAX_KEY_CHARS} characters` });
  } else {
    try {
      key = createPrivateKey(c.key);
    } catch {
      problems.push({ pointer: '/client_certificate/key', detail: 'is not an unencrypted PEM private key' });
    }
  }
  if (x509 && Date.parse(x509.validTo) <= now.getTime()) {
    problems.push({ pointer: '/client_certificate/cert', detail: `expired on ${new Date(x509.validTo).toISOString()}` });
  }
  if (x509 && key && !x509.checkPrivateKey(key)) problems.push({ pointer: '/client_certificate/key', detail: 'does not belong to the certificate' });
  return problems.length || !x509 || !key ? { ok: false, problems } : { ok: true, x509, key };
}

/**
 * Everything wrong with an endpoint's `client_certificate`: it must parse, be unexpired, and its key must be the
 * certificate's own (a mismatch would only show as failed handshakes at delivery time).
 */
export function clientCertificateProblems(input: unknown, now: Date): FieldProblem[] {
  if (input === undefined || input === null) return [];
  const parsed = parse(input, now);
  return parsed.ok ? [] : parsed.problems;
}

/**
 * A client certificate is only ever presented in a TLS handshake: refused next to a plain-http or plaintext-Kafka
 * endpoint URL. A `kafka+tls://` destination presents it to the brokers (how MSK and Aiven authenticate clients), an
 * `amqps://` one to the broker (RabbitMQ's EXTERNAL login, or only to pass its peer verification).
 */
export function clientCertificateUrlProblems(url: string, hasCertificate: boolean): FieldProblem[] {
  if (!hasCertificate || url.startsWith('https:') || url.startsWith('kafka+tls:') || url.startsWith('amqps:')) return [];
  return [{ pointer: '/client_certificate', detail: 'mutual TLS needs an https, kafka+tls:// or amqps:// endpoint URL' }];
}

/** Valid input → the certificate as it travels in events: the key sealed, the fingerprint and expiry for audits. */
export function sealedClientCertificate(input: ClientCertificateInput, now: Date, seal: (plaintext: string) => string): EndpointClientCertificateV1 {
  const parsed = parse(input, now);
  if (!parsed.ok) throw new Error('sealedClientCertificate needs a certificate that passed clientCertificateProblems');
  return {
    cert_pem: input.cert,
    key_sealed: seal(input.key),
    fingerprint_sha256: parsed.x509.fingerprint256,
    not_after: new Date(parsed.x509.validTo).toISOString(),
  };
}
