/**
 * Every header we produce must verify with the reference Standard Webhooks libraries, not just with our own code:
 * `standardwebhooks` (the spec's reference) and `svix` (which wraps it and reads svix-* or webhook-* headers).
 * Cases are generated from a seeded PRNG so a failure is reproducible; the failing case is printed in full.
 */
import { Webhook as StandardWebhook, WebhookVerificationError as StandardVerificationError } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { generateEd25519KeyPair, generateHmacSecret, verifyWebhook, webhookHeaders } from './index';
import type { SigningSecret, WebhookVerificationFailure } from './index';

const CASES = 150;

/** mulberry32: tiny, seeded, good enough to pick test inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'Z', '0', ' ', '"', '\\', '.', ',', '\n', 'é', '€', '漢', '🚀', '\u0000', '\u2028'];

function randomCase(seed: number) {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(0, 255)));
  const text = (max: number) => Array.from({ length: int(0, max) }, () => ALPHABET[int(0, ALPHABET.length - 1)]).join('');

  const hmacSecrets = Array.from({ length: int(1, 3) }, () => `whsec_${bytes(int(24, 64)).toString('base64')}`);
  const edPairs = Array.from({ length: int(0, 2) }, () => generateEd25519KeyPair());
  const secrets: SigningSecret[] = [
    ...hmacSecrets.map((secret) => ({ kind: 'hmac' as const, secret })),
    ...edPairs.map((pair) => ({ kind: 'ed25519' as const, secret: pair.secretKey })),
  ].sort(() => random() - 0.5);
  const json = JSON.stringify({ type: `evt.${text(8)}`, timestamp: new Date().toISOString(), data: { note: text(200), n: int(0, 1e9) } });
  return {
    seed,
    msgId: `msg_${bytes(12).toString('hex')}`,
    body: random() < 0.5 ? json : Buffer.from(json, 'utf8'),
    secrets,
    hmacSecrets,
    publicKeys: edPairs.map((pair) => pair.publicKey),
  };
}

const asSvixHeaders = (headers: Record<string, string>) => ({
  'svix-id': headers['webhook-id'],
  'svix-timestamp': headers['webhook-timestamp'],
  'svix-signature': headers['webhook-signature'],
});

describe('signatures verify with the reference libraries', () => {
  it(`holds for ${CASES} random bodies, secrets and rotation sets`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const c = randomCase(seed);
      const headers = { ...webhookHeaders({ msgId: c.msgId, timestamp: new Date(), body: c.body, secrets: c.secrets }) };
      const expected = JSON.parse(c.body.toString());
      const context = `seed ${seed}: ${JSON.stringify({ msgId: c.msgId, secrets: c.secrets, headers })}`;
      try {
        for (const secret of c.hmacSecrets) {
          expect(new StandardWebhook(secret).verify(c.body, headers)).toEqual(expected);
          expect(new SvixWebhook(secret).verify(c.body, headers)).toEqual(expected);
          expect(new SvixWebhook(secret).verify(c.body, asSvixHeaders(headers))).toEqual(expected);
          expect(verifyWebhook({ headers, body: c.body, secrets: [secret] })).toEqual(expected);
        }
        for (const publicKey of c.publicKeys) {
          expect(verifyWebhook({ headers, body: c.body, secrets: [publicKey] })).toEqual(expected);
        }
        expect(verifyWebhook({ headers: asSvixHeaders(headers), body: c.body, secrets: [...c.publicKeys, ...c.hmacSecrets] })).toEqual(expected);
      } catch (error) {
        throw new Error(`${context}\n${(error as Error).message}`);
      }
    }
  });

  it('the reference libraries sign exactly as we do', () => {
    const secret = generateHmacSecret();
    const timestamp = new Date();
    const body = '{"type":"x","data":{"é":"€"}}';
    const ours = webhookHeaders({ msgId: 'msg_1', timestamp, body, secrets: [{ kind: 'hmac', secret }] })['webhook-signature'];
    expect(new StandardWebhook(secret).sign('msg_1', timestamp, body)).toBe(ours);
    expect(new SvixWebhook(secret).sign('msg_1', timestamp, body)).toBe(ours);
  });

  it('the reference libraries reject what we reject', () => {
    const secret = generateHmacSecret();
    const body = '{"type":"x","data":{}}';
    const sign = (timestamp: Date) =>
      webhookHeaders({ msgId: 'msg_1', timestamp, body, secrets: [{ kind: 'hmac', secret }] });
    const fresh = sign(new Date());
    const cases: Array<[string, string, Record<string, string>, string, WebhookVerificationFailure]> = [
      ['tampered body', body.replace('x', 'y'), fresh, 'No matching signature found', 'no-matching-signature'],
      ['wrong secret', body, fresh, 'No matching signature found', 'no-matching-signature'],
      ['expired timestamp', body, sign(new Date(Date.now() - 10 * 60_000)), 'Message timestamp too old', 'timestamp-too-old'],
      ['future timestamp', body, sign(new Date(Date.now() + 10 * 60_000)), 'Message timestamp too new', 'timestamp-too-new'],
    ];
    for (const [label, payload, headers, message, reason] of cases) {
      const key = label === 'wrong secret' ? generateHmacSecret() : secret;
      expect(() => new StandardWebhook(key).verify(payload, headers)).toThrow(StandardVerificationError);
      expect(() => new StandardWebhook(key).verify(payload, headers)).toThrow(message);
      expect(() => new SvixWebhook(key).verify(payload, headers)).toThrow(message);
      expect(() => verifyWebhook({ headers, body: payload, secrets: [key] })).toThrow(
        expect.objectContaining({ name: 'WebhookVerificationError', reason }),
      );
    }
  });

  describe('the spec test vector', () => {
    afterEach(() => jest.restoreAllMocks());

    it('verifies with both reference libraries at its own time', () => {
      jest.spyOn(Date, 'now').mockReturnValue(1614265330 * 1000);
      const headers = {
        'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        'webhook-timestamp': '1614265330',
        'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      };
      const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
      expect(new StandardWebhook(secret).verify('{"test": 2432232314}', headers)).toEqual({ test: 2432232314 });
      expect(new SvixWebhook(secret).verify('{"test": 2432232314}', asSvixHeaders(headers))).toEqual({ test: 2432232314 });
    });
  });
});
