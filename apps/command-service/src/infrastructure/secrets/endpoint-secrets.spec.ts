import { SecretSealingError, parseSealingKeys, sealSecret } from '@hookline/signing';
import { EndpointSecrets } from './endpoint-secrets';

const keyOf = (byte: number) => Buffer.alloc(32, byte).toString('base64');

describe('EndpointSecrets.open', () => {
  it('opens what its keys sealed, again from memory, and refuses what none of them did', () => {
    const keys = parseSealingKeys(keyOf(1));
    const secrets = new EndpointSecrets(keys, 2);
    const [a, b, c] = ['secret-a', 'secret-b', 'secret-c'].map((p) => sealSecret(p, keys));
    expect([secrets.open(a), secrets.open(a), secrets.open(b), secrets.open(c), secrets.open(a)]).toEqual(['secret-a', 'secret-a', 'secret-b', 'secret-c', 'secret-a']);
    // Sealed under a key this service does not hold: refused every time, never remembered as anything.
    const foreign = sealSecret('secret-x', parseSealingKeys(keyOf(2)));
    expect(() => secrets.open(foreign)).toThrow(SecretSealingError);
    expect(() => secrets.open(foreign)).toThrow(SecretSealingError);
  });
});
