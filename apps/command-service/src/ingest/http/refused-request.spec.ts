import { SourceId } from '@hookline/contracts';
import { BODY_EXCERPT_BYTES, MAX_HEADERS, MAX_RECORDED_BODY_BYTES, REDACTED, refusedRequestData } from './refused-request';

const SOURCE = 'src_01M8V91QWM6ZKXTQ88QZKM4T7W' as SourceId;
const refusal = { status: 401, outcome: 'unauthenticated', reason: 'no_matching_signature', detail: 'signature did not verify' };
const request = (over: Partial<Parameters<typeof refusedRequestData>[2]> = {}) => ({
  receivedAt: new Date('2026-12-02T10:00:00.000Z'), method: 'POST', headers: {}, query: new URLSearchParams(), body: Buffer.alloc(0), ...over,
});

describe('refusedRequestData', () => {
  it('keeps what tells a signature mismatch apart (signature headers, content type, the body) and the refusal as answered', () => {
    const body = Buffer.from('{"id":"evt_1","type":"invoice.paid"}');
    const data = refusedRequestData(SOURCE, { type: 'stripe', secret_sealed: 'enc:v1:x', tolerance_seconds: 300 }, request({
      headers: { 'stripe-signature': 't=1,v1=abc', 'content-type': 'application/json', 'user-agent': 'Stripe/1.0' }, body,
    }), refusal, 3);
    expect(data).toEqual({
      source_id: SOURCE, received_at: '2026-12-02T10:00:00.000Z', method: 'POST', status: 401, outcome: 'unauthenticated',
      reason: 'no_matching_signature', detail: 'signature did not verify',
      headers: { 'stripe-signature': 't=1,v1=abc', 'content-type': 'application/json', 'user-agent': 'Stripe/1.0' }, query: {},
      content_type: 'application/json', body_bytes: body.length, body_excerpt: body.toString(), body_truncated: false, not_recorded: 3,
    });
  });

  it('never keeps a credential: Authorization, cookies, the api_key header of the source, Meta\'s verify token', () => {
    const data = refusedRequestData(SOURCE, { type: 'api_key', header: 'X-Partner-Key', key_sealed: 'enc:v1:x' }, request({
      method: 'GET',
      headers: { authorization: 'Basic dXNlcjpwYXNz', cookie: 'session=1', 'proxy-authorization': 'Bearer t', 'x-partner-key': 'the-key' },
      query: new URLSearchParams('hub.mode=subscribe&hub.verify_token=guess&hub.challenge=123'),
    }), refusal, 0);
    expect(data.headers).toEqual({ authorization: REDACTED, cookie: REDACTED, 'proxy-authorization': REDACTED, 'x-partner-key': REDACTED });
    expect(data.query).toEqual({ 'hub.mode': 'subscribe', 'hub.verify_token': REDACTED, 'hub.challenge': '123' });
    expect(JSON.stringify(data)).not.toMatch(/dXNlcjpwYXNz|session=1|the-key|guess/);
  });

  it('bounds what a hostile sender controls: header count and length, body excerpt (whole characters), NUL made storable', () => {
    const headers: Record<string, string> = {};
    for (let i = 0; i < MAX_HEADERS + 10; i++) headers[`x-h${i}`] = i === 0 ? 'v'.repeat(5000) : 'v';
    // 2047 ASCII bytes, then a 3-byte character across the 2 KiB cut.
    const body = Buffer.concat([Buffer.from('a'.repeat(BODY_EXCERPT_BYTES - 1)), Buffer.from('€'), Buffer.from('\u0000tail')]);
    const data = refusedRequestData(SOURCE, null, request({ headers, body }), refusal, 0);
    expect(Object.keys(data.headers)).toHaveLength(MAX_HEADERS);
    expect(data.headers['x-h0'].length).toBeLessThanOrEqual(512);
    expect(data.body_excerpt).toBe('a'.repeat(BODY_EXCERPT_BYTES - 1));
    expect(data).toMatchObject({ body_bytes: body.length, body_truncated: true });
    const withNul = refusedRequestData(SOURCE, null, request({ body: Buffer.from('{"a":"\u0000"}') }), refusal, 0);
    expect(withNul.body_excerpt).toBe('{"a":"\ufffd"}');
  });

  it('keeps only the size of a body over the ingest limit, none of its bytes', () => {
    const data = refusedRequestData(SOURCE, null, request({ headers: { 'content-length': '900000' }, bodyBytes: 900_000 }), refusal, 0);
    expect(data).toMatchObject({ body_bytes: 900_000, body_excerpt: '', body_truncated: true });
    // A made-up Content-Length stays within what the query service's int column takes.
    expect(refusedRequestData(SOURCE, null, request({ bodyBytes: 1e15 }), refusal, 0).body_bytes).toBe(MAX_RECORDED_BODY_BYTES);
  });
});
