import {
  SecretFormatError,
  WebhookVerificationError,
  WebhookVerificationFailure,
  generateEd25519KeyPair,
  generateHmacSecret,
  verifyWebhook,
  webhookHeaders,
} from '../index';

const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const SPEC_HEADERS = {
  'webhook-id': SPEC.msgId,
  'webhook-timestamp': String(SPEC.timestamp),
  'webhook-signature': SPEC.signature,
};

function rejection(run: () => unknown): WebhookVerificationError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error;
    throw error;
  }
  throw new Error('expected the webhook to be rejected');
}

function expectRejected(reason: WebhookVerificationFailure, run: () => unknown): void {
  const error = rejection(run);
  expect(error.reason).toBe(reason);
  expect(error.name).toBe('WebhookVerificationError');
  expect(error.message.length).toBeGreaterThan(20);
}

describe('verifyWebhook', () => {
  const verifySpec = (overrides: Partial<Parameters<typeof verifyWebhook>[0]> = {}) =>
    verifyWebhook({ headers: SPEC_HEADERS, body: SPEC.body, secrets: [SPEC.secret], now: SPEC.timestamp, ...overrides });

  it('accepts the Standard Webhooks test vector and returns the parsed body', () => {
    expect(verifySpec()).toEqual({ test: 2432232314 });
    expect(verifySpec({ body: Buffer.from(SPEC.body), now: new Date(SPEC.timestamp * 1000) })).toEqual({ test: 2432232314 });
  });

  it('rejects a tampered body, a wrong secret, a changed id and a changed timestamp', () => {
    expectRejected('no-matching-signature', () => verifySpec({ body: '{"test": 2432232315}' }));
    expectRejected('no-matching-signature', () => verifySpec({ secrets: [generateHmacSecret()] }));
    expectRejected('no-matching-signature', () =>
      verifySpec({ headers: { ...SPEC_HEADERS, 'webhook-id': 'msg_other' } }),
    );
    expectRejected('no-matching-signature', () =>
      verifySpec({ headers: { ...SPEC_HEADERS, 'webhook-timestamp': String(SPEC.timestamp + 1) } }),
    );
  });

  it('tells an expired timestamp from a future one, with the tolerance inclusive', () => {
    expect(verifySpec({ now: SPEC.timestamp + 300 })).toBeDefined();
    expect(verifySpec({ now: SPEC.timestamp - 300 })).toBeDefined();
    expectRejected('timestamp-too-old', () => verifySpec({ now: SPEC.timestamp + 301 }));
    expectRejected('timestamp-too-new', () => verifySpec({ now: SPEC.timestamp - 301 }));
    expect(verifySpec({ now: SPEC.timestamp + 3600, toleranceSeconds: 3600 })).toBeDefined();
    expectRejected('timestamp-too-old', () => verifySpec({ now: SPEC.timestamp + 11, toleranceSeconds: 10 }));
    expect(rejection(() => verifySpec({ now: SPEC.timestamp + 301 })).message).toMatch(/301 s in the past/);
  });

  it('checks the timestamp before the signature, so a replayed valid request is reported as too old', () => {
    expectRejected('timestamp-too-old', () => verifySpec({ now: SPEC.timestamp + 86_400 }));
  });

  it('reads header names case-insensitively, and from a Fetch Headers-like object', () => {
    const shouting = {
      'Webhook-Id': SPEC.msgId,
      'WEBHOOK-TIMESTAMP': String(SPEC.timestamp),
      'webhook-Signature': SPEC.signature,
    };
    expect(verifySpec({ headers: shouting })).toEqual({ test: 2432232314 });
    const map = new Map(Object.entries(SPEC_HEADERS));
    expect(verifySpec({ headers: { get: (name: string) => map.get(name.toLowerCase()) ?? null } })).toBeDefined();
  });

  it('accepts the svix-* header aliases', () => {
    const svix = {
      'svix-id': SPEC.msgId,
      'svix-timestamp': String(SPEC.timestamp),
      'svix-signature': SPEC.signature,
    };
    expect(verifySpec({ headers: svix })).toEqual({ test: 2432232314 });
  });

  it('never mixes header families', () => {
    expectRejected('missing-header', () =>
      verifySpec({
        headers: { 'webhook-id': SPEC.msgId, 'svix-timestamp': String(SPEC.timestamp), 'svix-signature': SPEC.signature },
      }),
    );
  });

  it('names a missing header', () => {
    const { 'webhook-signature': _omitted, ...withoutSignature } = SPEC_HEADERS;
    const error = rejection(() => verifySpec({ headers: withoutSignature }));
    expect(error.reason).toBe('missing-header');
    expect(error.message).toMatch(/missing webhook-signature header/);
    expectRejected('missing-header', () => verifySpec({ headers: {} }));
    expectRejected('missing-header', () => verifySpec({ headers: { ...SPEC_HEADERS, 'webhook-id': '' } }));
  });

  it('rejects a malformed timestamp or a repeated id', () => {
    for (const bad of ['abc', '1614265330.5', '-1614265330', '1e9', '']) {
      expectRejected(bad === '' ? 'missing-header' : 'invalid-header', () =>
        verifySpec({ headers: { ...SPEC_HEADERS, 'webhook-timestamp': bad } }),
      );
    }
    expectRejected('invalid-header', () =>
      verifySpec({ headers: { ...SPEC_HEADERS, 'webhook-id': [SPEC.msgId, 'msg_other'] } }),
    );
  });

  it('treats repeated signature headers as more candidates', () => {
    const headers = { ...SPEC_HEADERS, 'webhook-signature': ['v1,bm90IGl0', SPEC.signature] };
    expect(verifySpec({ headers })).toBeDefined();
  });

  it('ignores unknown versions, malformed entries and extra spaces, and accepts any matching entry', () => {
    const signature = `v2,abc garbage  v1a,!!!  v1,${'A'.repeat(44)} ${SPEC.signature} `;
    expect(verifySpec({ headers: { ...SPEC_HEADERS, 'webhook-signature': signature } })).toBeDefined();
    const wrongVersion = SPEC.signature.replace('v1,', 'v1a,');
    expectRejected('no-matching-signature', () =>
      verifySpec({ headers: { ...SPEC_HEADERS, 'webhook-signature': wrongVersion } }),
    );
  });

  it('rejects a signature that differs only in length or padding', () => {
    const unpadded = SPEC.signature.replace(/=$/, '');
    expectRejected('no-matching-signature', () =>
      verifySpec({ headers: { ...SPEC_HEADERS, 'webhook-signature': unpadded } }),
    );
    expectRejected('no-matching-signature', () =>
      verifySpec({ headers: { ...SPEC_HEADERS, 'webhook-signature': `${SPEC.signature}=` } }),
    );
  });

  it('reports a correctly signed body that is not JSON as invalid-payload', () => {
    const secret = generateHmacSecret();
    const body = 'not json';
    const headers = webhookHeaders({ msgId: 'msg_1', timestamp: 1700000000, body, secrets: [{ kind: 'hmac', secret }] });
    expectRejected('invalid-payload', () => verifyWebhook({ headers, body, secrets: [secret], now: 1700000000 }));
  });

  it('treats receiver misconfiguration as an error of its own, not a rejected request', () => {
    expect(() => verifySpec({ secrets: [] })).toThrow(SecretFormatError);
    expect(() => verifySpec({ secrets: ['whsec_short'] })).toThrow(SecretFormatError);
    expect(() => verifySpec({ toleranceSeconds: -1 })).toThrow(RangeError);
  });

  describe('ed25519 (v1a)', () => {
    const body = '{"type":"endpoint.created","timestamp":"2024-01-01T00:00:00Z","data":{"id":"ep_1"}}';
    const now = 1_700_000_000;

    it('round-trips: signed with whsk_, verified with the matching whpk_ (or the whsk_ itself)', () => {
      const { secretKey, publicKey } = generateEd25519KeyPair();
      const headers = webhookHeaders({ msgId: 'msg_1', timestamp: now, body, secrets: [{ kind: 'ed25519', secret: secretKey }] });
      expect(headers['webhook-signature']).toMatch(/^v1a,/);
      expect(verifyWebhook({ headers, body, secrets: [publicKey], now })).toEqual(JSON.parse(body));
      expect(verifyWebhook({ headers, body: Buffer.from(body), secrets: [secretKey], now })).toEqual(JSON.parse(body));
    });

    it('rejects a wrong public key, a tampered body, and an HMAC secret for a v1a-only header', () => {
      const { secretKey, publicKey } = generateEd25519KeyPair();
      const other = generateEd25519KeyPair();
      const headers = webhookHeaders({ msgId: 'msg_1', timestamp: now, body, secrets: [{ kind: 'ed25519', secret: secretKey }] });
      expectRejected('no-matching-signature', () => verifyWebhook({ headers, body, secrets: [other.publicKey], now }));
      const tampered = body.replace('ep_1', 'ep_2');
      expectRejected('no-matching-signature', () =>
        verifyWebhook({ headers, body: tampered, secrets: [publicKey], now }),
      );
      expectRejected('no-matching-signature', () => verifyWebhook({ headers, body, secrets: [generateHmacSecret()], now }));
    });
  });

  describe('rotation', () => {
    it('a header signed with two secrets verifies with either secret alone, and with both', () => {
      const oldSecret = generateHmacSecret();
      const newSecret = generateHmacSecret();
      const pair = generateEd25519KeyPair();
      const body = '{"type":"a","timestamp":"2024-01-01T00:00:00Z","data":{}}';
      const now = 1_700_000_000;
      const headers = webhookHeaders({
        msgId: 'msg_rot',
        timestamp: now,
        body,
        secrets: [
          { kind: 'hmac', secret: oldSecret },
          { kind: 'hmac', secret: newSecret },
          { kind: 'ed25519', secret: pair.secretKey },
        ],
      });
      for (const secrets of [[oldSecret], [newSecret], [pair.publicKey], [newSecret, oldSecret], [generateHmacSecret(), oldSecret]]) {
        expect(verifyWebhook({ headers, body, secrets, now })).toEqual(JSON.parse(body));
      }
      expectRejected('no-matching-signature', () =>
        verifyWebhook({ headers, body, secrets: [generateHmacSecret(), generateEd25519KeyPair().publicKey], now }),
      );
    });
  });
});
