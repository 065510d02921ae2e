import { createHmac, createPublicKey, sign as ed25519Sign, verify as ed25519Verify } from 'node:crypto';
import {
  SecretFormatError,
  generateEd25519KeyPair,
  generateHmacSecret,
  parseSecret,
  signPayload,
  webhookHeaders,
} from '../index';

// The test vector published with the Standard Webhooks specification.
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('signPayload', () => {
  it('reproduces the Standard Webhooks test vector', () => {
    const signature = signPayload({
      msgId: SPEC.msgId,
      timestamp: SPEC.timestamp,
      body: SPEC.body,
      secrets: [{ kind: 'hmac', secret: SPEC.secret }],
    });
    expect(signature).toBe(SPEC.signature);
  });

  it('gives the same signature for a Date, a Buffer body, and on repeated (cached) calls', () => {
    const input = {
      msgId: SPEC.msgId,
      timestamp: new Date(SPEC.timestamp * 1000 + 999),
      body: Buffer.from(SPEC.body),
      secrets: [{ kind: 'hmac' as const, secret: SPEC.secret }],
    };
    expect(signPayload(input)).toBe(SPEC.signature);
    expect(signPayload(input)).toBe(SPEC.signature);
  });

  it('emits one signature per secret, space-separated, in the order given', () => {
    const other = generateHmacSecret();
    const { secretKey } = generateEd25519KeyPair();
    const header = signPayload({
      msgId: SPEC.msgId,
      timestamp: SPEC.timestamp,
      body: SPEC.body,
      secrets: [
        { kind: 'hmac', secret: SPEC.secret },
        { kind: 'ed25519', secret: secretKey },
        { kind: 'hmac', secret: other },
      ],
    });
    const parts = header.split(' ');
    expect(parts).toHaveLength(3);
    expect(parts[0]).toBe(SPEC.signature);
    expect(parts[1]).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(parts[2]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('signs "id.timestamp.body" with ed25519 (checked with node:crypto directly)', () => {
    const { secretKey, publicKey } = generateEd25519KeyPair();
    const body = '{"type":"invoice.paid","data":{"amount":"€12"}}';
    const header = signPayload({ msgId: 'msg_1', timestamp: 1700000000, body, secrets: [{ kind: 'ed25519', secret: secretKey }] });
    const signature = Buffer.from(header.slice('v1a,'.length), 'base64');
    const parsed = parseSecret(publicKey);
    if (parsed.kind !== 'ed25519-public') throw new Error('expected a public key');
    expect(ed25519Verify(null, Buffer.from(`msg_1.1700000000.${body}`), parsed.publicKey, signature)).toBe(true);

    // ed25519 is deterministic: the same key signs the same content identically.
    const secret = parseSecret(secretKey);
    if (secret.kind !== 'ed25519-secret') throw new Error('expected a secret key');
    const direct = ed25519Sign(null, Buffer.from(`msg_1.1700000000.${body}`), secret.privateKey).toString('base64');
    expect(header).toBe(`v1a,${direct}`);
    expect(createPublicKey(secret.privateKey).equals(parsed.publicKey)).toBe(true);
  });

  it('signs a binary Buffer body byte for byte (HMAC key = base64-decoded part after whsec_)', () => {
    const body = Buffer.from([0xff, 0x00, 0xfe, 0x7b]);
    const header = signPayload({ msgId: 'msg_1', timestamp: 1, body, secrets: [{ kind: 'hmac', secret: SPEC.secret }] });
    const key = Buffer.from(SPEC.secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key)
      .update(Buffer.concat([Buffer.from('msg_1.1.'), body]))
      .digest('base64');
    expect(header).toBe(`v1,${expected}`);
  });

  it('refuses to sign without secrets', () => {
    expect(() => signPayload({ msgId: 'msg_1', timestamp: 1, body: '{}', secrets: [] })).toThrow(SecretFormatError);
  });

  it('refuses a secret whose prefix contradicts its declared kind', () => {
    const { secretKey, publicKey } = generateEd25519KeyPair();
    const base = { msgId: 'msg_1', timestamp: 1, body: '{}' };
    expect(() => signPayload({ ...base, secrets: [{ kind: 'hmac', secret: secretKey }] })).toThrow(
      /declared as kind 'hmac' but is not a whsec_ secret/,
    );
    expect(() => signPayload({ ...base, secrets: [{ kind: 'ed25519', secret: SPEC.secret }] })).toThrow(
      /declared as kind 'ed25519' but is not a whsk_ secret key/,
    );
    expect(() => signPayload({ ...base, secrets: [{ kind: 'ed25519', secret: publicKey }] })).toThrow(
      /public key can only verify/,
    );
  });

  it('rejects timestamps that are not whole Unix seconds', () => {
    const base = { msgId: 'msg_1', body: '{}', secrets: [{ kind: 'hmac' as const, secret: SPEC.secret }] };
    expect(() => signPayload({ ...base, timestamp: Date.now() })).toThrow(/looks like milliseconds/);
    expect(() => signPayload({ ...base, timestamp: 1.5 })).toThrow(RangeError);
    expect(() => signPayload({ ...base, timestamp: -1 })).toThrow(RangeError);
    expect(() => signPayload({ ...base, timestamp: new Date('nope') })).toThrow(/invalid Date/);
  });

  it('rejects an empty message id', () => {
    expect(() =>
      signPayload({ msgId: '', timestamp: 1, body: '{}', secrets: [{ kind: 'hmac', secret: SPEC.secret }] }),
    ).toThrow(/msgId/);
  });
});

describe('webhookHeaders', () => {
  it('returns the three Standard Webhooks headers for the spec vector', () => {
    expect(
      webhookHeaders({
        msgId: SPEC.msgId,
        timestamp: new Date(SPEC.timestamp * 1000),
        body: SPEC.body,
        secrets: [{ kind: 'hmac', secret: SPEC.secret }],
      }),
    ).toEqual({
      'webhook-id': SPEC.msgId,
      'webhook-timestamp': String(SPEC.timestamp),
      'webhook-signature': SPEC.signature,
    });
  });
});
