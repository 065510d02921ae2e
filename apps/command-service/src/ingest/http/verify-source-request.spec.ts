import { createHmac } from 'node:crypto';
import { SourceVerificationV1 } from '@hookline/contracts';
import { Webhook } from 'standardwebhooks';
import { SignedRequest, Verified } from './signature-verifiers';
import { verifySourceRequest } from './verify-source-request';

// Secrets travel sealed; here "sealed" is the plaintext behind a marker, so each test sees what it opens.
const open = (sealed: string) => sealed.replace(/^sealed:/, '');
const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const BODY = Buffer.from('{"id":"evt_1","type":"invoice.paid","data":{"object":{"amount":4200}}}');
const verify = (v: SourceVerificationV1, headers: SignedRequest['headers'], body = BODY, nowSeconds = NOW): Verified =>
  verifySourceRequest(v, open, { headers, body, nowSeconds });
const refused = (reason: string) => ({ ok: false, reason });

describe('verifying a provider\'s request to an HTTP source', () => {
  describe('GitHub (hmac preset: x-hub-signature-256, sha256, hex, sha256=)', () => {
    const secret = "It's a Secret to Everybody";
    const github: SourceVerificationV1 = { type: 'hmac', header: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', secret_sealed: `sealed:${secret}` };

    it('accepts GitHub\'s documented test vector', () => {
      // From GitHub's "Validating webhook deliveries": this secret and payload give this signature.
      const body = Buffer.from('Hello, World!');
      const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
      expect(verify(github, { 'x-hub-signature-256': signature }, body)).toEqual({ ok: true });
      expect(verify(github, { 'x-hub-signature-256': signature.toUpperCase().replace('SHA256=', 'sha256=') }, body)).toEqual({ ok: true });
    });

    it('accepts a signature made with node:crypto over the raw body, and refuses any change', () => {
      const signature = `sha256=${createHmac('sha256', secret).update(BODY).digest('hex')}`;
      expect(verify(github, { 'x-hub-signature-256': signature })).toEqual({ ok: true });
      expect(verify(github, { 'x-hub-signature-256': signature }, Buffer.from(`${BODY.toString()} `))).toEqual(refused('no_matching_signature'));
      expect(verify(github, { 'x-hub-signature-256': signature.replace('sha256=', 'sha1=') })).toEqual(refused('malformed_signature'));
      expect(verify(github, {})).toEqual(refused('missing_signature'));
      expect(verify({ ...github, secret_sealed: 'sealed:another' }, { 'x-hub-signature-256': signature })).toEqual(refused('no_matching_signature'));
    });
  });

  describe('Shopify (hmac preset: x-shopify-hmac-sha256, sha256, base64, no prefix)', () => {
    const shopify: SourceVerificationV1 = { type: 'hmac', header: 'x-shopify-hmac-sha256', algorithm: 'sha256', encoding: 'base64', prefix: '', secret_sealed: 'sealed:shpss_123' };

    it('accepts the base64 HMAC of the body and refuses another', () => {
      const signature = createHmac('sha256', 'shpss_123').update(BODY).digest('base64');
      expect(verify(shopify, { 'x-shopify-hmac-sha256': signature })).toEqual({ ok: true });
      expect(verify(shopify, { 'x-shopify-hmac-sha256': createHmac('sha256', 'other').update(BODY).digest('base64') })).toEqual(refused('no_matching_signature'));
    });

    it('takes other algorithms too (sha1, sha512)', () => {
      const sha512: SourceVerificationV1 = { ...shopify, algorithm: 'sha512', encoding: 'hex', header: 'x-signature' };
      expect(verify(sha512, { 'x-signature': createHmac('sha512', 'shpss_123').update(BODY).digest('hex') })).toEqual({ ok: true });
      expect(verify(sha512, { 'x-signature': createHmac('sha256', 'shpss_123').update(BODY).digest('hex') })).toEqual(refused('no_matching_signature'));
    });
  });

  describe('Stripe (stripe-signature: t=…,v1=…)', () => {
    const secret = 'whsec_test_stripe';
    const stripe: SourceVerificationV1 = { type: 'stripe', secret_sealed: `sealed:${secret}`, tolerance_seconds: 300 };
    const sign = (t: number, key = secret) => createHmac('sha256', key).update(`${t}.${BODY.toString()}`).digest('hex');

    it('accepts a signature of t.body, among several v1 entries and a v0 (Stripe rolling its secret)', () => {
      expect(verify(stripe, { 'stripe-signature': `t=${NOW},v1=${sign(NOW)}` })).toEqual({ ok: true });
      expect(verify(stripe, { 'stripe-signature': `t=${NOW},v1=${sign(NOW, 'whsec_old')},v1=${sign(NOW)},v0=abc` })).toEqual({ ok: true });
    });

    it('refuses a timestamp outside the tolerance either way, even correctly signed', () => {
      expect(verify(stripe, { 'stripe-signature': `t=${NOW - 301},v1=${sign(NOW - 301)}` })).toEqual(refused('timestamp_out_of_tolerance'));
      expect(verify(stripe, { 'stripe-signature': `t=${NOW + 301},v1=${sign(NOW + 301)}` })).toEqual(refused('timestamp_out_of_tolerance'));
      expect(verify(stripe, { 'stripe-signature': `t=${NOW - 300},v1=${sign(NOW - 300)}` })).toEqual({ ok: true });
    });

    it('refuses a signature of another timestamp, another secret, or a malformed header', () => {
      expect(verify(stripe, { 'stripe-signature': `t=${NOW},v1=${sign(NOW - 1)}` })).toEqual(refused('no_matching_signature'));
      expect(verify(stripe, { 'stripe-signature': `t=${NOW},v1=${sign(NOW, 'whsec_other')}` })).toEqual(refused('no_matching_signature'));
      expect(verify(stripe, { 'stripe-signature': `v1=${sign(NOW)}` })).toEqual(refused('malformed_signature'));
      expect(verify(stripe, { 'stripe-signature': `t=${NOW},t=${NOW},v1=${sign(NOW)}` })).toEqual(refused('malformed_signature'));
      expect(verify(stripe, { 'stripe-signature': `t=${NOW},v0=${sign(NOW)}` })).toEqual(refused('malformed_signature'));
      expect(verify(stripe, {})).toEqual(refused('missing_signature'));
    });
  });

  describe('Slack and Zoom (v0_hmac: v0= + hex HMAC-SHA256 of v0:<timestamp>:<body>)', () => {
    const slack = (secret: string, tolerance_seconds = 300): SourceVerificationV1 => ({
      type: 'v0_hmac', header: 'x-slack-signature', timestamp_header: 'x-slack-request-timestamp', secret_sealed: `sealed:${secret}`, tolerance_seconds,
    });
    const zoom: SourceVerificationV1 = { type: 'v0_hmac', header: 'x-zm-signature', timestamp_header: 'x-zm-request-timestamp', secret_sealed: 'sealed:zoom-token', tolerance_seconds: 300 };
    const v0 = (secret: string, t: number | string, body = BODY) => `v0=${createHmac('sha256', secret).update(`v0:${t}:${body.toString()}`).digest('hex')}`;

    it('accepts Slack\'s documented example (a slash command\'s form body)', () => {
      // From Slack's "Verifying requests from Slack": this signing secret, timestamp and body give this signature.
      const body = Buffer.from('token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar'
        + '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J'
        + '%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c');
      const headers = { 'x-slack-request-timestamp': '1531420618', 'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503' };
      expect(verify(slack('8f742231b10e8888abcd99yyyzzz85a5'), headers, body, 1531420618 + 60)).toEqual({ ok: true });
      expect(verify(slack('8f742231b10e8888abcd99yyyzzz85a5'), headers, body, 1531420618 + 301)).toEqual(refused('timestamp_out_of_tolerance'));
    });

    it('accepts Zoom\'s signature made with node:crypto over the raw body, and refuses any change', () => {
      const headers = { 'x-zm-request-timestamp': String(NOW), 'x-zm-signature': v0('zoom-token', NOW) };
      expect(verify(zoom, headers)).toEqual({ ok: true });
      expect(verify(zoom, headers, Buffer.from(`${BODY.toString()} `))).toEqual(refused('no_matching_signature'));
      expect(verify(zoom, { ...headers, 'x-zm-request-timestamp': String(NOW - 1) })).toEqual(refused('no_matching_signature'));
      expect(verify(zoom, { ...headers, 'x-zm-signature': v0('another', NOW) })).toEqual(refused('no_matching_signature'));
      // The signature of the body alone (as hmac would make it) is not the v0 scheme's.
      expect(verify(zoom, { ...headers, 'x-zm-signature': `v0=${createHmac('sha256', 'zoom-token').update(BODY).digest('hex')}` })).toEqual(refused('no_matching_signature'));
    });

    it('refuses a timestamp outside the tolerance either way, even correctly signed', () => {
      const at = (t: number) => ({ 'x-slack-request-timestamp': String(t), 'x-slack-signature': v0('s3cret', t) });
      expect(verify(slack('s3cret', 60), at(NOW - 60))).toEqual({ ok: true });
      expect(verify(slack('s3cret', 60), at(NOW - 61))).toEqual(refused('timestamp_out_of_tolerance'));
      expect(verify(slack('s3cret', 60), at(NOW + 61))).toEqual(refused('timestamp_out_of_tolerance'));
    });

    it('refuses missing and malformed headers', () => {
      const signed = { 'x-slack-request-timestamp': String(NOW), 'x-slack-signature': v0('s3cret', NOW) };
      expect(verify(slack('s3cret'), { 'x-slack-signature': signed['x-slack-signature'] })).toEqual(refused('missing_signature'));
      expect(verify(slack('s3cret'), { 'x-slack-request-timestamp': String(NOW) })).toEqual(refused('missing_signature'));
      expect(verify(slack('s3cret'), { ...signed, 'x-slack-signature': signed['x-slack-signature'].replace('v0=', 'v1=') })).toEqual(refused('malformed_signature'));
      expect(verify(slack('s3cret'), { ...signed, 'x-slack-request-timestamp': `${NOW}.5` })).toEqual(refused('malformed_signature'));
    });
  });

  describe('Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const standard: SourceVerificationV1 = { type: 'standard_webhooks', secret_sealed: `sealed:${secret}`, tolerance_seconds: 300 };
    // Signed by the reference library, not by Hookline's signer.
    const signed = (at: number, key = secret) => ({
      'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
      'webhook-timestamp': String(at),
      'webhook-signature': new Webhook(key).sign('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', new Date(at * 1000), BODY),
    });

    it('accepts what the standardwebhooks library signs, and the spec\'s own vector', () => {
      expect(verify(standard, signed(NOW))).toEqual({ ok: true });
      expect(verify(standard, {
        'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      }, Buffer.from('{"test": 2432232314}'), 1614265330)).toEqual({ ok: true });
    });

    it('refuses another secret, an old timestamp, and missing headers', () => {
      expect(verify(standard, signed(NOW, 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk='))).toEqual(refused('no_matching_signature'));
      expect(verify(standard, signed(NOW - 301))).toEqual(refused('timestamp_out_of_tolerance'));
      expect(verify(standard, { 'webhook-id': 'msg_1' })).toEqual(refused('missing_signature'));
    });

    it('leaves a correctly signed body that is not JSON to the JSON check', () => {
      const body = Buffer.from('not json');
      const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(NOW), 'webhook-signature': new Webhook(secret).sign('msg_1', new Date(NOW * 1000), body) };
      expect(verify(standard, headers, body)).toEqual({ ok: true });
    });
  });

  describe('shared credentials', () => {
    const basic: SourceVerificationV1 = { type: 'basic_auth', username: 'acme', password_sealed: 'sealed:pa:ss' };
    const auth = (text: string) => ({ authorization: `Basic ${Buffer.from(text).toString('base64')}` });

    it('HTTP Basic: the username and password, a colon allowed in the password', () => {
      expect(verify(basic, auth('acme:pa:ss'))).toEqual({ ok: true });
      expect(verify(basic, auth('acme:wrong'))).toEqual(refused('no_matching_signature'));
      expect(verify(basic, auth('other:pa:ss'))).toEqual(refused('no_matching_signature'));
      expect(verify(basic, auth('nocolon'))).toEqual(refused('malformed_signature'));
      expect(verify(basic, { authorization: 'Bearer x' })).toEqual(refused('missing_signature'));
    });

    it('API key: the header\'s exact value', () => {
      const apiKey: SourceVerificationV1 = { type: 'api_key', header: 'x-api-key', key_sealed: 'sealed:k3y' };
      expect(verify(apiKey, { 'x-api-key': 'k3y' })).toEqual({ ok: true });
      expect(verify(apiKey, { 'x-api-key': 'k3y ' })).toEqual(refused('no_matching_signature'));
      expect(verify(apiKey, {})).toEqual(refused('missing_signature'));
    });

    it('none takes anything', () => {
      expect(verify({ type: 'none' }, {})).toEqual({ ok: true });
    });
  });

  describe('Microsoft Graph (graph_client_state: every notification echoes the subscription\'s clientState)', () => {
    const graph: SourceVerificationV1 = { type: 'graph_client_state', secret_sealed: 'sealed:SecretClientState' };
    // As Graph posts them (docs: "Receive change notifications"), two changes in one batch.
    const notification = (clientState?: string) => ({
      subscriptionId: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07', subscriptionExpirationDateTime: '2026-12-05T11:00:00.000Z',
      changeType: 'created', resource: "Users/8ee44408-0679-472c-bc2a-692812af3437/Messages/AAMkADE", tenantId: '84bd8158-6d4d-4958-8b9f-9d6445542f95',
      ...(clientState === undefined ? {} : { clientState }),
    });
    const batch = (...states: Array<string | undefined>) => Buffer.from(JSON.stringify({ value: states.map(notification) }));

    it('accepts a batch whose every notification carries the clientState', () => {
      expect(verify(graph, {}, batch('SecretClientState'))).toEqual({ ok: true });
      expect(verify(graph, {}, batch('SecretClientState', 'SecretClientState'))).toEqual({ ok: true });
    });

    it('refuses a batch with one notification of another subscription (or none) mixed in, and anything not shaped like a batch', () => {
      expect(verify(graph, {}, batch('SecretClientState', 'Guess'))).toEqual(refused('no_matching_signature'));
      expect(verify(graph, {}, batch('SecretClientState', undefined))).toEqual(refused('no_matching_signature'));
      expect(verify(graph, {}, batch('secretclientstate'))).toEqual(refused('no_matching_signature'));
      for (const body of ['{"value":[]}', '{"value":{"clientState":"SecretClientState"}}', '{}', 'null', 'not json', '']) {
        expect([body, verify(graph, {}, Buffer.from(body))]).toEqual([body, refused('missing_signature')]);
      }
    });
  });
});
