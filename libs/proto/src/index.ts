import { join } from 'node:path';

/**
 * @hookline/proto — the gRPC contracts (`.proto` files) of Hookline's services, shipped as files so any language
 * can generate clients from them.
 */

/** Folder that holds the `.proto` tree (include path for loaders). */
export const PROTO_ROOT = join(__dirname, '..', 'proto');

/** Absolute path of the command API proto. */
export const COMMAND_PROTO = join(PROTO_ROOT, 'hookline', 'command', 'v1', 'command.proto');

/** gRPC package of the command API. */
export const COMMAND_PACKAGE = 'hookline.command.v1';
