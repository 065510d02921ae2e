import { SealedSecretV1, newId } from '@hookline/contracts';
import { SealingKeys, deriveEd25519PublicKey, generateEd25519KeyPair, generateHmacSecret, openSecret, parseSecret, resealSecret, sealSecret } from '@hookline/signing';
import { ProblemError } from '@hookline/service-kit';

export interface NewSecret {
  sealed: SealedSecretV1;
  /** Shown to the caller once. */
  plaintext: string;
  publicKey: string | null;
}

/**
 * Makes (or imports) an endpoint signing secret and seals it: the plaintext goes back to the caller once, and only
 * the sealed form travels on the log.
 */
export class EndpointSecrets {
  /** Sealed text → plaintext of values opened lately (bounded; the oldest opened goes first). */
  private readonly opened = new Map<string, string>();

  constructor(private readonly keys: SealingKeys, private readonly maxOpened = 1024) {}

  /** Seals another credential of an endpoint (an OAuth 2.0 client secret) the way signing secrets are sealed. */
  seal(plaintext: string): string {
    return sealSecret(plaintext, this.keys);
  }

  /**
   * The plaintext of a sealed value (an HTTP source's secret, to check a provider's signature with). Kept once opened:
   * every webhook to a source opens the same value, and a decipher costs ~10 µs each time here (a new
   * secret is sealed anew, so a changed source never meets its old plaintext here).
   * @throws SecretSealingError when no configured key opens it.
   */
  open(sealed: string): string {
    const known = this.opened.get(sealed);
    if (known !== undefined) return known;
    const plaintext = openSecret(sealed, this.keys);
    if (this.opened.size >= this.maxOpened) this.opened.delete(this.opened.keys().next().value as string);
    this.opened.set(sealed, plaintext);
    return plaintext;
  }

  /**
   * A value sealed under a previous key, sealed anew under the current one; null when the current key sealed it.
   * @throws SecretSealingError when no configured key opens it.
   */
  reseal(sealed: string): string | null {
    return resealSecret(sealed, this.keys);
  }

  create(kind: 'hmac' | 'ed25519', now: Date, imported?: string): NewSecret {
    let plaintext: string;
    let publicKey: string | null = null;
    if (imported) {
      try {
        const parsed = parseSecret(imported);
        if (parsed.kind !== 'hmac') throw new Error('only whsec_ secrets can be imported');
      } catch (err) {
        throw new ProblemError('validation', 'secret must be a whsec_ secret of 24 to 64 bytes', [{ pointer: '/secret', detail: (err as Error).message }]);
      }
      plaintext = imported;
    } else if (kind === 'ed25519') {
      const pair = generateEd25519KeyPair();
      plaintext = pair.secretKey;
      publicKey = pair.publicKey;
    } else {
      plaintext = generateHmacSecret();
    }
    if (kind === 'ed25519' && !publicKey) publicKey = deriveEd25519PublicKey(plaintext);
    return {
      plaintext,
      publicKey,
      sealed: {
        secret_id: newId('secret'),
        kind: imported ? 'hmac' : kind,
        sealed: sealSecret(plaintext, this.keys),
        public_key: publicKey,
        created_at: now.toISOString(),
        expires_at: null,
      },
    };
  }
}
