import { storableJson, unstorableText } from './storable-text';

describe('text Postgres can hold', () => {
  it('names NUL and lone surrogates, and passes text with proper pairs, escapes spelled out and nothing odd', () => {
    expect(unstorableText('a\u0000b')).toBe('NUL (\\u0000) characters');
    expect(unstorableText('high \ud800 alone')).toBe('lone UTF-16 surrogates (\\ud800-\\udfff without their pair)');
    expect(unstorableText('\udc00 low first')).toMatch(/lone UTF-16 surrogates/);
    expect(unstorableText('pair \ud83d\ude00 and é')).toBeNull();
    expect(unstorableText('the text \\u0000 and \\ud800')).toBeNull();
    expect(unstorableText('')).toBeNull();
  });

  it('replaces escaped NULs and lone surrogates in JSON text by U+FFFD, and nothing else', () => {
    const json = JSON.stringify(['a\u0000b', 'lone \udfff', 'pair \ud83d\ude00', 'text \\u0000', 'both \\\u0000', 'tab\t', { ['k\u0000']: 1 }]);
    expect(JSON.parse(storableJson(json))).toEqual(['a\ufffdb', 'lone \ufffd', 'pair \ud83d\ude00', 'text \\u0000', 'both \\\ufffd', 'tab\t', { ['k\ufffd']: 1 }]);
    const plain = JSON.stringify(['plain', 'é', 'control \u0001']);
    expect(storableJson(plain)).toBe(plain);
  });
});
