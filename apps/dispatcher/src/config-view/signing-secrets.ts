import { SealedSecretV1 } from '@hookline/contracts';
import { EndpointState, activeSecrets } from '@hookline/domain';
import { SealingKey, SealingKeys, SigningSecret, openSecret } from '@hookline/signing';

/**
 * Opens endpoints' sealed secrets (signing secrets, OAuth 2.0 client secrets, Kafka SASL passwords, client
 * certificates' keys) with SECRETS_ENCRYPTION_KEY, or the previous key that sealed them. Opened values are cached by
 * their sealed text (AES-GCM per attempt would be wasted work); they live only in this process' memory and are never
 * logged.
 */
export class SigningSecrets {
  private readonly opened = new Map<string, string>();

  constructor(private readonly key: SealingKey | SealingKeys) {}

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

  /** Drops opened values nobody will ask for again (their endpoint is gone, or the value was replaced). */
  forget(sealed: Iterable<string>): void {
    for (const s of sealed) this.opened.delete(s);
  }

  /** Opened values held (for tests). */
  get size(): number {
    return this.opened.size;
  }
}

/**
 * Every sealed value an endpoint holds: its signing secrets, its OAuth 2.0 client secret or Kafka SASL or AMQP password, its
 * client certificate's key.
 */
export function sealedValuesOf(state: EndpointState): string[] {
  const values = state.secrets.map((s) => s.sealed);
  const { auth, client_certificate: certificate } = state.settings;
  if (auth) values.push(auth.type === 'oauth2_client_credentials' ? auth.client_secret_sealed : auth.password_sealed);
  if (certificate) values.push(certificate.key_sealed);
  return values;
}
