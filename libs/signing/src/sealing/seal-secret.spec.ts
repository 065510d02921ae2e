import { randomBytes } from 'node:crypto';
import { SecretSealingError, generateHmacSecret, isSealedSecret, openSecret, parseSealingKey, parseSealingKeys, resealSecret, sealSecret } from '../index';

const key = parseSealingKey(randomBytes(32).toString('base64'));
const otherKey = parseSealingKey(randomBytes(32).toString('hex'));

describe('sealSecret / openSecret', () => {
  it('round-trips, including non-ASCII and empty plaintexts', () => {
    for (const plaintext of [generateHmacSecret(), 'pässwörd 漢字 🚀', '']) {
      const sealed = sealSecret(plaintext, key);
      expect(isSealedSecret(sealed)).toBe(true);
      expect(openSecret(sealed, key)).toBe(plaintext);
    }
  });

  it('writes enc:v1:<iv>.<ciphertext>.<tag> in base64url, with a fresh iv each time', () => {
    const secret = generateHmacSecret();
    const a = sealSecret(secret, key);
    const b = sealSecret(secret, key);
    expect(a).toMatch(/^enc:v1:[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret.slice(6));
    const [, ciphertext] = a.slice('enc:v1:'.length).split('.');
    expect(Buffer.from(ciphertext, 'base64url')).toHaveLength(Buffer.byteLength(secret));
  });

  it('refuses to open with the wrong key', () => {
    const sealed = sealSecret('whsec_x', key);
    expect(() => openSecret(sealed, otherKey)).toThrow(SecretSealingError);
    expect(() => openSecret(sealed, otherKey)).toThrow(/different SECRETS_ENCRYPTION_KEY \(and none of SECRETS_ENCRYPTION_PREVIOUS_KEYS\) or has been modified/);
  });

  it('detects tampering with any part', () => {
    const sealed = sealSecret(generateHmacSecret(), key);
    const [iv, ciphertext, tag] = sealed.slice('enc:v1:'.length).split('.');
    const [, otherCiphertext] = sealSecret(generateHmacSecret(), key).slice('enc:v1:'.length).split('.');
    const flip = (part: string) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[bytes.length - 1] ^= 0x01;
      return bytes.toString('base64url');
    };
    for (const tampered of [
      `enc:v1:${flip(iv)}.${ciphertext}.${tag}`,
      `enc:v1:${iv}.${flip(ciphertext)}.${tag}`,
      `enc:v1:${iv}.${ciphertext}.${flip(tag)}`,
      `enc:v1:${iv}.${Buffer.from(ciphertext, 'base64url').subarray(0, -1).toString('base64url')}.${tag}`,
      `enc:v1:${iv}.${otherCiphertext}.${tag}`,
    ]) {
      expect(() => openSecret(tampered, key)).toThrow(/has been modified/);
    }
  });

  it('names malformed values', () => {
    expect(() => openSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', key)).toThrow(/not a sealed secret: expected a value starting with enc:v1:/);
    expect(() => openSecret('enc:v1:abc.def', key)).toThrow(/expected enc:v1:<iv>.<ciphertext>.<tag>/);
    expect(() => openSecret('enc:v1:ab+c.def.ghi', key)).toThrow(/base64url without padding/);
    expect(() => openSecret('enc:v1:AAAA.AAAA.AAAA', key)).toThrow(/12-byte iv and a 16-byte tag, got 3 and 3/);
    expect(() => openSecret('enc:v2:AAAA.AAAA.AAAA', key)).toThrow(/not a sealed secret/);
  });

  it('isSealedSecret tells sealed values from plaintext ones', () => {
    expect(isSealedSecret(generateHmacSecret())).toBe(false);
    expect(isSealedSecret(sealSecret('x', key))).toBe(true);
  });

  describe('with a key ring (the sealing key rotated)', () => {
    const [oldest, old, current] = [randomBytes(32), randomBytes(32), randomBytes(32)].map((b) => b.toString('base64'));
    const ring = parseSealingKeys(current, [old, oldest]);

    it('seals under the current key only', () => {
      const sealed = sealSecret('whsec_new', ring);
      expect(openSecret(sealed, parseSealingKey(current))).toBe('whsec_new');
      expect(() => openSecret(sealed, parseSealingKey(old))).toThrow(SecretSealingError);
    });

    it('opens what any previous key sealed, and what the current one did', () => {
      expect(openSecret(sealSecret('sealed long ago', parseSealingKey(oldest)), ring)).toBe('sealed long ago');
      expect(openSecret(sealSecret('sealed before', parseSealingKey(old)), ring)).toBe('sealed before');
      expect(openSecret(sealSecret('sealed now', ring), ring)).toBe('sealed now');
    });

    it('reseals under the current key what a previous key sealed, and leaves what the current key sealed', () => {
      const resealed = resealSecret(sealSecret('sealed before', parseSealingKey(old)), ring);
      expect(openSecret(resealed!, parseSealingKey(current))).toBe('sealed before');
      expect(resealSecret(sealSecret('sealed now', ring), ring)).toBeNull();
      expect(() => resealSecret(sealSecret('x', otherKey), ring)).toThrow(SecretSealingError);
    });

    it('refuses what a key outside the ring sealed, and tampered values', () => {
      expect(() => openSecret(sealSecret('x', otherKey), ring)).toThrow(/none of SECRETS_ENCRYPTION_PREVIOUS_KEYS/);
      const sealed = sealSecret('x', parseSealingKey(old));
      expect(() => openSecret(`${sealed.slice(0, -2)}AA`, ring)).toThrow(/has been modified/);
    });
  });
});
