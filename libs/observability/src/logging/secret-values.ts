/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

// Standard Webhooks signing secrets (`whsec_` + base64), ed25519 signing keys (`whsk_` + base64) and Hookline API keys
// (`hk_live_…`, `hk_test_…`). Public keys (`whpk_`) are not secrets and stay readable. The prefix is kept so a reader still sees
// which kind of credential was there.
const SECRET_VALUE = /(whsec_|whsk_|hk_(?:live|test)_)[A-Za-z0-9+/=_-]+/g;

/** `text` with every signing secret, signing key and API key in it replaced by its prefix and `[REDACTED]`. */
export function maskSecretValues(text: string): string {
  return text.replace(SECRET_VALUE, `$1${REDACTED}`);
}
