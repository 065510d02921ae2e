/**
 * @hookline/config — configuration from environment variables, validated at start-up with one-line errors.
 */
export { loadConfig, ConfigError, port, int, bool, str, oneOf, url, list, brokers, secondsList } from './env-spec';
export type { EnvVar, EnvSpec, ConfigOf } from './env-spec';
export { BROWSER_API_ENV, COMMON_ENV, DEV_SECRETS_ENCRYPTION_KEY, sealingKeyText } from './common-env';
