import { DnsLookupError } from '../agent/dns-lookup.error';
import { SsrfRefusedError } from '../agent/ssrf-refused.error';
import { classifyDeliveryError } from './classify-delivery-error';
import { DeliveryError } from './delivery.error';

const ORIGIN = 'https://hooks.example.com';

function withCode(code: string, message = `failure ${code}`, name = 'Error'): Error {
  return Object.assign(new Error(message), { code, name });
}

function classify(error: unknown, deadlinePassed = false): DeliveryError {
  return classifyDeliveryError({ error, origin: ORIGIN, timeoutMs: 1_000, deadlinePassed });
}

describe('classifyDeliveryError', () => {
  it.each([
    [new SsrfRefusedError('evil.test', '10.0.0.1', 'private address'), 'ssrf_refused'],
    [new DnsLookupError('gone.test', 'ENOTFOUND'), 'dns'],
    [withCode('ENOTFOUND'), 'dns'],
    [withCode('EAI_AGAIN'), 'dns'],
    [withCode('UND_ERR_HEADERS_TIMEOUT'), 'timeout'],
    [withCode('UND_ERR_BODY_TIMEOUT'), 'timeout'],
    [Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }), 'timeout'],
    [withCode('UND_ERR_CONNECT_TIMEOUT'), 'connect'],
    [withCode('ECONNREFUSED'), 'connect'],
    [withCode('EHOSTUNREACH'), 'connect'],
    [withCode('ENETUNREACH'), 'connect'],
    [withCode('ETIMEDOUT'), 'connect'],
    [Object.assign(new AggregateError([withCode('ECONNREFUSED')], 'all attempts failed')), 'connect'],
    [withCode('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls'],
    [withCode('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls'],
    [withCode('CERT_HAS_EXPIRED'), 'tls'],
    [withCode('ERR_SSL_WRONG_VERSION_NUMBER'), 'tls'],
    [withCode('EPROTO'), 'tls'],
    [withCode('UND_ERR_SOCKET', 'other side closed'), 'network'],
    [withCode('ECONNRESET'), 'network'],
    [new Error('something odd'), 'network'],
    ['not even an error', 'network'],
  ])('classifies %p as %s', (error, expected) => {
    const classified = classify(error);
    expect(classified).toBeInstanceOf(DeliveryError);
    expect(classified.class).toBe(expected);
    expect(classified.cause).toBe(error);
  });

  it('calls anything a timeout once the attempt deadline has passed, except a policy refusal', () => {
    expect(classify(withCode('UND_ERR_SOCKET'), true).class).toBe('timeout');
    expect(classify(new SsrfRefusedError('evil.test', undefined, 'metadata'), true).class).toBe('ssrf_refused');
  });

  it('says what happened to which origin', () => {
    expect(classify(withCode('ECONNREFUSED', 'connect ECONNREFUSED 203.0.113.9:443')).message).toBe(
      'could not connect to https://hooks.example.com: connect ECONNREFUSED 203.0.113.9:443',
    );
    expect(classify(withCode('UND_ERR_HEADERS_TIMEOUT')).message).toBe(
      'https://hooks.example.com did not complete its response within 1000 ms',
    );
    expect(classify(withCode('CERT_HAS_EXPIRED', 'certificate has expired')).message).toBe(
      'TLS with https://hooks.example.com failed: certificate has expired',
    );
    // OpenSSL's message carries its error stack and source file; the reason alone is what a user can act on.
    const alert = Object.assign(withCode('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
      '80AC4165E17F0000:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 116'),
    { reason: 'tlsv13 alert certificate required' });
    expect(classify(alert).message).toBe('TLS with https://hooks.example.com failed: tlsv13 alert certificate required');
  });
});
