/** Injection tokens for values that are not classes. */
export const URL_POLICY = Symbol('URL_POLICY');
export const COMMAND_CONFIG = Symbol('COMMAND_CONFIG');
export const METRICS = Symbol('METRICS');
export const LOGGER = Symbol('LOGGER');
