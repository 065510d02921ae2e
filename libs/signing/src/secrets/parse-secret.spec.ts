import { randomBytes } from 'node:crypto';
import {
  SecretFormatError,
  deriveEd25519PublicKey,
  generateEd25519KeyPair,
  generateHmacSecret,
  parseSecret,
} from '../index';

describe('generateHmacSecret', () => {
  it('is whsec_ + padded base64 of 32 random bytes, different every time', () => {
    const a = generateHmacSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateHmacSecret()).not.toBe(a);
    expect(parseSecret(a).kind).toBe('hmac');
  });
});

describe('generateEd25519KeyPair', () => {
  it('is whsk_ + base64 of the 32-byte seed and whpk_ + base64 of the 32-byte public key', () => {
    const { secretKey, publicKey } = generateEd25519KeyPair();
    expect(secretKey).toMatch(/^whsk_[A-Za-z0-9+/]{43}=$/);
    expect(publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(parseSecret(secretKey).kind).toBe('ed25519-secret');
    expect(parseSecret(publicKey).kind).toBe('ed25519-public');
    expect(deriveEd25519PublicKey(secretKey)).toBe(publicKey);
  });
});

describe('parseSecret', () => {
  const whsec = (bytes: number) => `whsec_${randomBytes(bytes).toString('base64')}`;

  it('accepts HMAC secrets of 24 to 64 bytes, padded or not', () => {
    for (const size of [24, 32, 33, 64]) expect(parseSecret(whsec(size)).kind).toBe('hmac');
    expect(parseSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').kind).toBe('hmac');
    expect(parseSecret(whsec(32).replace(/=+$/, '')).kind).toBe('hmac');
  });

  it('rejects HMAC secrets outside 24–64 bytes, saying how long they were', () => {
    expect(() => parseSecret(whsec(23))).toThrow(/decodes to 23 bytes; Standard Webhooks requires 24–64/);
    expect(() => parseSecret(whsec(65))).toThrow(/decodes to 65 bytes/);
    expect(() => parseSecret('whsec_')).toThrow(/decodes to 0 bytes/);
  });

  it('rejects text that is not strict base64', () => {
    for (const body of ['MfKQ9r8GKYqrTwjU!D8ILPZIo2LaLaSw', 'MfKQ9r8GKYqrTwjU-D8ILPZIo2LaLaSw', 'MfKQ 9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx=']) {
      expect(() => parseSecret(`whsec_${body}`)).toThrow(/not valid base64 after the whsec_ prefix/);
    }
  });

  it('rejects an unknown prefix, listing the valid ones', () => {
    expect(() => parseSecret('sk_live_abcdefghijklmnopqrstuvwxyz')).toThrow(SecretFormatError);
    expect(() => parseSecret('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toThrow(/expected a whsec_ .* whsk_ .* whpk_/);
  });

  it('never puts the secret in the error message', () => {
    const secret = `whsec_${randomBytes(70).toString('base64')}`;
    expect(() => parseSecret(secret)).toThrow(SecretFormatError);
    try {
      parseSecret(secret);
    } catch (error) {
      expect((error as Error).message).not.toContain(secret.slice(6, 30));
      expect((error as Error).message).toContain('whsec_');
    }
  });

  it('checks ed25519 key lengths', () => {
    expect(() => parseSecret(`whsk_${randomBytes(31).toString('base64')}`)).toThrow(/decodes to 31 bytes; expected the 32-byte seed/);
    expect(() => parseSecret(`whpk_${randomBytes(33).toString('base64')}`)).toThrow(/decodes to 33 bytes; expected 32/);
  });

  it('accepts the 64-byte seed ‖ public key form only when the halves belong together', () => {
    const { secretKey, publicKey } = generateEd25519KeyPair();
    const seed = Buffer.from(secretKey.slice(5), 'base64');
    const pub = Buffer.from(publicKey.slice(5), 'base64');
    const long = `whsk_${Buffer.concat([seed, pub]).toString('base64')}`;
    expect(parseSecret(long).kind).toBe('ed25519-secret');
    expect(deriveEd25519PublicKey(long)).toBe(publicKey);
    const mismatched = `whsk_${Buffer.concat([seed, randomBytes(32)]).toString('base64')}`;
    expect(() => parseSecret(mismatched)).toThrow(/corrupt: its last 32 bytes are not the public key of its seed/);
  });

  it('deriveEd25519PublicKey refuses anything but a whsk_ key', () => {
    expect(() => deriveEd25519PublicKey(generateHmacSecret())).toThrow(/expected a whsk_ ed25519 secret key, got a hmac secret/);
  });
});
