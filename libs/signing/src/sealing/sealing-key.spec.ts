import { randomBytes } from 'node:crypto';
import { SecretSealingError, openSecret, parseSealingKey, parseSealingKeys, sealSecret } from '../index';

describe('parseSealingKey', () => {
  const raw = randomBytes(32);

  it('accepts the same 32 bytes as base64, unpadded base64, base64url or hex (any case), ignoring whitespace', () => {
    const sealed = sealSecret('whsec_test', parseSealingKey(raw.toString('base64')));
    for (const text of [
      raw.toString('base64').replace(/=+$/, ''),
      raw.toString('base64url'),
      raw.toString('hex'),
      raw.toString('hex').toUpperCase(),
      ` ${raw.toString('base64')}\n`,
    ]) {
      expect(openSecret(sealed, parseSealingKey(text))).toBe('whsec_test');
    }
  });

  it('rejects an empty value', () => {
    expect(() => parseSealingKey('')).toThrow(/SECRETS_ENCRYPTION_KEY is empty; set it to 32 random bytes/);
    expect(() => parseSealingKey('  \n')).toThrow(SecretSealingError);
  });

  it('rejects keys of the wrong size, saying how many bytes they had', () => {
    expect(() => parseSealingKey(randomBytes(16).toString('base64'))).toThrow(/decodes to 16 bytes; AES-256-GCM needs exactly 32/);
    expect(() => parseSealingKey(randomBytes(31).toString('hex'))).toThrow(/decodes to 31 bytes/);
    expect(() => parseSealingKey(randomBytes(48).toString('base64'))).toThrow(/decodes to 48 bytes/);
  });

  it('rejects text that is neither hex nor base64, without echoing it', () => {
    const text = 'correct horse battery staple!!';
    expect(() => parseSealingKey(text)).toThrow(/is neither hex nor base64 \(30 characters\)/);
    try {
      parseSealingKey(text);
    } catch (error) {
      expect((error as Error).message).not.toContain('horse');
    }
  });

  it('names the variable it was given', () => {
    expect(() => parseSealingKey('abc', 'OLD_SECRETS_ENCRYPTION_KEY')).toThrow(/^OLD_SECRETS_ENCRYPTION_KEY/);
  });
});

describe('parseSealingKeys', () => {
  it('parses the current key and the previous ones, naming a faulty previous key by its place in the list', () => {
    const ring = parseSealingKeys(randomBytes(32).toString('hex'), [randomBytes(32).toString('base64'), randomBytes(32).toString('base64url')]);
    expect(ring.previous).toHaveLength(2);
    expect(parseSealingKeys(randomBytes(32).toString('hex')).previous).toEqual([]);
    expect(() => parseSealingKeys(randomBytes(32).toString('hex'), [randomBytes(32).toString('hex'), 'not a key!'])).toThrow(/^SECRETS_ENCRYPTION_PREVIOUS_KEYS\[1\] is neither hex nor base64/);
  });
});
