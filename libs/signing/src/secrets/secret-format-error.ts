/**
 * A signing secret or key that is not in the expected `whsec_` / `whsk_` / `whpk_` format, or was used for the
 * wrong purpose. The message names the problem and never contains the secret itself.
 */
export class SecretFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretFormatError';
  }
}
