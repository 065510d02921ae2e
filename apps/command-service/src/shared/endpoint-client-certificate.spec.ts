import { createTestPki } from '@hookline/testing';
import { X509Certificate } from 'node:crypto';
import { clientCertificateProblems, clientCertificateUrlProblems, sealedClientCertificate } from './endpoint-client-certificate';

describe('endpoint client certificate (mutual TLS)', () => {
  const pki = createTestPki();
  const mine = pki.client('hookline');
  const other = pki.client('someone-else');
  const now = new Date();

  it('accepts a certificate with its own unencrypted key', () => {
    expect(clientCertificateProblems(mine, now)).toEqual([]);
    expect(clientCertificateProblems(undefined, now)).toEqual([]);
    expect(clientCertificateProblems(null, now)).toEqual([]);
  });

  it('refuses a key that is not the certificate\'s, text that is not PEM, unknown fields and a certificate past its end', () => {
    expect(clientCertificateProblems({ cert: mine.cert, key: other.key }, now)).toEqual([{ pointer: '/client_certificate/key', detail: 'does not belong to the certificate' }]);
    expect(clientCertificateProblems({ cert: 'hello', key: 'world', passphrase: 'x' }, now).map((p) => `${p.pointer}: ${p.detail}`)).toEqual([
      '/client_certificate/passphrase: is not a field of client_certificate',
      '/client_certificate/cert: is not a PEM certificate',
      '/client_certificate/key: is not an unencrypted PEM private key',
    ]);
    expect(clientCertificateProblems('pem', now)).toEqual([expect.objectContaining({ pointer: '/client_certificate' })]);
    const later = new Date(Date.parse(new X509Certificate(mine.cert).validTo) + 1000);
    expect(clientCertificateProblems(mine, later)).toEqual([{ pointer: '/client_certificate/cert', detail: expect.stringMatching(/^expired on /) }]);
  });

  it('only goes with an https, kafka+tls:// or amqps:// endpoint URL', () => {
    const refused = [{ pointer: '/client_certificate', detail: 'mutual TLS needs an https, kafka+tls:// or amqps:// endpoint URL' }];
    expect(clientCertificateUrlProblems('http://127.0.0.1:9/hooks', true)).toEqual(refused);
    expect(clientCertificateUrlProblems('kafka://127.0.0.1:9092/orders', true)).toEqual(refused);
    expect(clientCertificateUrlProblems('https://example.com/hooks', true)).toEqual([]);
    expect(clientCertificateUrlProblems('kafka+tls://b-1.msk.example.com:9094/orders', true)).toEqual([]);
    expect(clientCertificateUrlProblems('amqps://rabbit.example.com?exchange=x', true)).toEqual([]);
    expect(clientCertificateUrlProblems('amqp://127.0.0.1?exchange=x', true)).toEqual(refused);
    expect(clientCertificateUrlProblems('http://127.0.0.1:9/hooks', false)).toEqual([]);
    expect(clientCertificateUrlProblems('kafka://127.0.0.1:9092/orders', false)).toEqual([]);
  });

  it('keeps the certificate as sent, seals the key and records the fingerprint and expiry', () => {
    const x509 = new X509Certificate(mine.cert);
    expect(sealedClientCertificate(mine, now, (plain) => `sealed(${plain.length})`)).toEqual({
      cert_pem: mine.cert, key_sealed: `sealed(${mine.key.length})`, fingerprint_sha256: x509.fingerprint256, not_after: new Date(x509.validTo).toISOString(),
    });
  });
});
