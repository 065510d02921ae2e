import { maskSecret } from '../index';

describe('maskSecret', () => {
  it('keeps the prefix and four characters of a long secret', () => {
    expect(maskSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe('whsec_MfKQ…');
    expect(maskSecret('whsk_0123456789abcdefghij')).toBe('whsk_0123…');
    expect(maskSecret('whpk_0123456789abcdefghij')).toBe('whpk_0123…');
    expect(maskSecret('enc:v1:AAAAAAAAAAAAAAAA.BBBB.CCCC')).toBe('enc:v1:AAAA…');
    expect(maskSecret('some-unprefixed-api-token')).toBe('some…');
  });

  it('hides short values entirely', () => {
    expect(maskSecret('whsec_short')).toBe('whsec_…');
    expect(maskSecret('hunter2')).toBe('…');
    expect(maskSecret('')).toBe('…');
  });
});
