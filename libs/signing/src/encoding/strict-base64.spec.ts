import { decodeBase64Strict, decodeBase64UrlStrict } from './strict-base64';

describe('strict base64 decoding', () => {
  it('decodes canonical base64 with or without padding', () => {
    expect(decodeBase64Strict('aGk=')?.toString()).toBe('hi');
    expect(decodeBase64Strict('aGk')?.toString()).toBe('hi');
    expect(decodeBase64Strict('')?.length).toBe(0);
  });

  it('refuses what Buffer.from would silently accept', () => {
    for (const text of ['aG!k', 'aGk==', 'aGl=', 'a Gk=', 'aGk=aGk=', 'aG-k', '=']) {
      expect(decodeBase64Strict(text)).toBeUndefined();
    }
  });

  it('decodes canonical base64url only', () => {
    expect(decodeBase64UrlStrict('_-8')?.toString('hex')).toBe('ffef');
    for (const text of ['_-8=', '+/8', '_-9']) expect(decodeBase64UrlStrict(text)).toBeUndefined();
  });
});
