/**
 * A sealing key that cannot be used, or a sealed value that cannot be opened (malformed, tampered with, or sealed
 * under another key). The message says which, and never contains key material or plaintext.
 */
export class SecretSealingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretSealingError';
  }
}
