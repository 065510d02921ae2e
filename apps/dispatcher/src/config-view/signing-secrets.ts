import { SealedSecretV1 } from '@hookline/contracts';
import { activeSecrets } from '@hookline/domain';
import { SealingKey, SigningSecret, openSecret } from '@hookline/signing';

/**
 * Opens endpoints' sealed secrets (signing secrets, OAuth 2.0 client secrets) with SECRETS_ENCRYPTION_KEY. Opened values are cached by their sealed text (AES-GCM
 * per attempt would be wasted work); they live only in this process' memory and are never logged.
 */
export class SigningSecrets {
  private readonly opened = new Map<string, string>();

  constructor(private readonly key: SealingKey) {}

  /** The secrets that sign at `now`. Throws SecretSealingError when a secret was sealed under another key. */
  active(state: { secrets: SealedSecretV1[] }, now: Date): SigningSecret[] {
    return activeSecrets(state, now).map((s) => ({ kind: s.kind, secret: this.open(s.sealed) }));
  }

  /** One sealed value, opened. Throws SecretSealingError when it was sealed under another key. */
  open(sealed: string): string {
    let plain = this.opened.get(sealed);
    if (plain === undefined) {
      plain = openSecret(sealed, this.key);
      this.opened.set(sealed, plain);
    }
    return plain;
  }
}
