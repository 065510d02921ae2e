/** The dispatcher's version, sent in `User-Agent: Hookline/<version>`; kept equal to the root package.json version. */
export const DISPATCHER_VERSION = '0.1.0';
